import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hand-written: the decision history is append-only in the database itself. Triggers refuse UPDATE,
 * DELETE and TRUNCATE of audit_entries for every role, the application's own included (only the
 * table owner or a superuser can disable them, and that is itself visible in the catalog). The chain
 * heads may move forward (UPDATE) but never be deleted. The refusal has its own SQLSTATE, PCA01.
 * Also an index that reads the system chain in seq order (the case index cannot: case_id IS NULL is
 * not an equality, so PostgreSQL would filter the whole primary key for each batch).
 */
export class AuditAppendOnly1795400000000 implements MigrationInterface {
  name = 'AuditAppendOnly1795400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'The table % is append-only: % is refused.', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'PCA01', HINT = 'Audit entries are never changed or removed; append a correcting entry instead.';
      END
      $$`);
    await queryRunner.query(
      `CREATE TRIGGER audit_entries_no_update_delete BEFORE UPDATE OR DELETE ON "audit_entries" FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON "audit_entries" FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER audit_chain_heads_no_delete BEFORE DELETE ON "audit_chain_heads" FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER audit_chain_heads_no_truncate BEFORE TRUNCATE ON "audit_chain_heads" FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()`,
    );
    await queryRunner.query(`CREATE INDEX "ix_audit_system_seq" ON "audit_entries" ("seq") WHERE case_id IS NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_audit_system_seq"`);
    await queryRunner.query(`DROP TRIGGER audit_chain_heads_no_truncate ON "audit_chain_heads"`);
    await queryRunner.query(`DROP TRIGGER audit_chain_heads_no_delete ON "audit_chain_heads"`);
    await queryRunner.query(`DROP TRIGGER audit_entries_no_truncate ON "audit_entries"`);
    await queryRunner.query(`DROP TRIGGER audit_entries_no_update_delete ON "audit_entries"`);
    await queryRunner.query(`DROP FUNCTION audit_refuse_change()`);
  }
}
