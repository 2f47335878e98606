import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Generated from the entities, then edited: evidence files and the chunks of stored files are
 * append-only like the audit entries (the same trigger function refuses UPDATE, DELETE and TRUNCATE
 * with SQLSTATE PCA01).
 */
export class EvidenceFiles1796140147786 implements MigrationInterface {
  name = 'EvidenceFiles1796140147786';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "evidence_files" ("id" uuid NOT NULL, "case_id" uuid NOT NULL, "file_name" character varying(255) NOT NULL, "media_type" character varying(160) NOT NULL, "size_bytes" bigint NOT NULL, "sha256" character(64) NOT NULL, "uploaded_by" uuid NOT NULL, "uploaded_at" TIMESTAMP WITH TIME ZONE NOT NULL, "chain_seq" bigint NOT NULL, CONSTRAINT "PK_f8d1a9a8e0430b749e2f4694460" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_evidence_case_uploaded" ON "evidence_files"  ("case_id", "uploaded_at", "id") `);
    await queryRunner.query(
      `CREATE TABLE "file_chunks" ("file_id" uuid NOT NULL, "n" integer NOT NULL, "data" bytea NOT NULL, CONSTRAINT "PK_9f9b1a5503c18d30654dd04254b" PRIMARY KEY ("file_id", "n"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "evidence_files" ADD CONSTRAINT "FK_ca803099a723bf1e6155f10d912" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "evidence_files" ADD CONSTRAINT "FK_9c814a1eed0dd6b7a5bf714dcc5" FOREIGN KEY ("uploaded_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    for (const table of ['evidence_files', 'file_chunks']) {
      await queryRunner.query(
        `CREATE TRIGGER ${table}_no_update_delete BEFORE UPDATE OR DELETE ON "${table}" FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()`,
      );
      await queryRunner.query(
        `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['evidence_files', 'file_chunks']) {
      await queryRunner.query(`DROP TRIGGER ${table}_no_truncate ON "${table}"`);
      await queryRunner.query(`DROP TRIGGER ${table}_no_update_delete ON "${table}"`);
    }
    await queryRunner.query(`ALTER TABLE "evidence_files" DROP CONSTRAINT "FK_9c814a1eed0dd6b7a5bf714dcc5"`);
    await queryRunner.query(`ALTER TABLE "evidence_files" DROP CONSTRAINT "FK_ca803099a723bf1e6155f10d912"`);
    await queryRunner.query(`DROP TABLE "file_chunks"`);
    await queryRunner.query(`DROP INDEX "public"."ix_evidence_case_uploaded"`);
    await queryRunner.query(`DROP TABLE "evidence_files"`);
  }
}
