import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Failed-login throttling shared by every API process: one row per account or source address. */
export class LoginThrottle1796144333344 implements MigrationInterface {
  name = 'LoginThrottle1796144333344';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "login_throttle" ("key" character varying(200) NOT NULL, "failures" integer NOT NULL DEFAULT '0', "last_failure_at" TIMESTAMP WITH TIME ZONE, "locked_until" TIMESTAMP WITH TIME ZONE, "pending" integer NOT NULL DEFAULT '0', "pending_since" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_14c03bac82292a8310c54cb98d0" PRIMARY KEY ("key"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "login_throttle"`);
  }
}
