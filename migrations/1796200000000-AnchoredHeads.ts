import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The head of each chain as the latest anchored checkpoint pinned it (see libs/audit/src/checkpoint.ts). */
export class AnchoredHeads1796200000000 implements MigrationInterface {
  name = 'AnchoredHeads1796200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "anchored_heads" ("chain" character varying(64) NOT NULL, "seq" bigint NOT NULL, "hash" character(64) NOT NULL, "checkpoint" integer NOT NULL, CONSTRAINT "PK_anchored_heads" PRIMARY KEY ("chain"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "anchored_heads"`);
  }
}
