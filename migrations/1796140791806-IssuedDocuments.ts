import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Generated from the entities, then edited: issued documents are append-only (the audit trigger
 * function refuses UPDATE, DELETE and TRUNCATE); the number sequences only move forward (no DELETE
 * or TRUNCATE).
 */
export class IssuedDocuments1796140791806 implements MigrationInterface {
  name = 'IssuedDocuments1796140791806';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "issued_documents" ("id" uuid NOT NULL, "kind" character varying(40) NOT NULL, "case_id" uuid, "fund_id" uuid, "number" character varying(64) NOT NULL, "year" integer NOT NULL, "serial" integer NOT NULL, "sha256" character(64) NOT NULL, "size_bytes" bigint NOT NULL, "content_sha256" character(64) NOT NULL, "facts_sha256" character(64) NOT NULL, "content" jsonb NOT NULL, "chain_head_hash" character(64) NOT NULL, "chain_seq" bigint NOT NULL, "issue_seq" bigint NOT NULL, "issued_by" uuid NOT NULL, "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_d60beaa56179f62b50ddc014241" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_documents_sha256" ON "issued_documents"  ("sha256") `);
    await queryRunner.query(`CREATE INDEX "ix_documents_fund" ON "issued_documents"  ("fund_id", "kind", "issued_at") `);
    await queryRunner.query(`CREATE INDEX "ix_documents_case" ON "issued_documents"  ("case_id", "kind", "issued_at") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_documents_number" ON "issued_documents"  ("kind", "year", "serial") `);
    await queryRunner.query(
      `CREATE TABLE "document_numbers" ("kind" character varying(40) NOT NULL, "year" integer NOT NULL, "last_serial" integer NOT NULL, CONSTRAINT "PK_27043f2daa89167200bdcdada3d" PRIMARY KEY ("kind", "year"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "issued_documents" ADD CONSTRAINT "FK_2eea8c7110fa1fe7681590bf4db" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "issued_documents" ADD CONSTRAINT "FK_dab46463697b8844e1db61f9bee" FOREIGN KEY ("fund_id") REFERENCES "funds"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "issued_documents" ADD CONSTRAINT "FK_b1b21e8f57c905c24aad82ac6d2" FOREIGN KEY ("issued_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `CREATE TRIGGER issued_documents_no_update_delete BEFORE UPDATE OR DELETE ON "issued_documents" FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER issued_documents_no_truncate BEFORE TRUNCATE ON "issued_documents" FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER document_numbers_no_delete BEFORE DELETE ON "document_numbers" FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER document_numbers_no_truncate BEFORE TRUNCATE ON "document_numbers" FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER document_numbers_no_truncate ON "document_numbers"`);
    await queryRunner.query(`DROP TRIGGER document_numbers_no_delete ON "document_numbers"`);
    await queryRunner.query(`DROP TRIGGER issued_documents_no_truncate ON "issued_documents"`);
    await queryRunner.query(`DROP TRIGGER issued_documents_no_update_delete ON "issued_documents"`);
    await queryRunner.query(`ALTER TABLE "issued_documents" DROP CONSTRAINT "FK_b1b21e8f57c905c24aad82ac6d2"`);
    await queryRunner.query(`ALTER TABLE "issued_documents" DROP CONSTRAINT "FK_dab46463697b8844e1db61f9bee"`);
    await queryRunner.query(`ALTER TABLE "issued_documents" DROP CONSTRAINT "FK_2eea8c7110fa1fe7681590bf4db"`);
    await queryRunner.query(`DROP TABLE "document_numbers"`);
    await queryRunner.query(`DROP INDEX "public"."ux_documents_number"`);
    await queryRunner.query(`DROP INDEX "public"."ix_documents_case"`);
    await queryRunner.query(`DROP INDEX "public"."ix_documents_fund"`);
    await queryRunner.query(`DROP INDEX "public"."ix_documents_sha256"`);
    await queryRunner.query(`DROP TABLE "issued_documents"`);
  }
}
