import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions that the database decides: `auth_sessions` (one per login, revocable, with its refresh
 * generation) and `users.demo` (demo users are refused outside demo mode unless allowed). Hand-written
 * triggers tell every API process, through NOTIFY on channel `pcw_auth`, when a user row changes or a
 * session is revoked, however the change was made, so that cached lookups are dropped at once.
 * Demo users seeded before this migration stay `demo = false` here; login recognises them by their
 * password (demo-password) instead.
 */
export class Sessions1796140118513 implements MigrationInterface {
  name = 'Sessions1796140118513';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "demo" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(
      `CREATE TABLE "auth_sessions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "refresh_generation" integer NOT NULL DEFAULT '0', "refreshed_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "revoked_reason" character varying(40), CONSTRAINT "PK_641507381f32580e8479efc36cd" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_auth_sessions_user" ON "auth_sessions" ("user_id") WHERE revoked_at IS NULL`);
    await queryRunner.query(
      `ALTER TABLE "auth_sessions" ADD CONSTRAINT "FK_50ccaa6440288a06f0ba693ccc6" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`
      CREATE FUNCTION auth_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('pcw_auth', CASE TG_TABLE_NAME WHEN 'users' THEN 'u:' ELSE 's:' END || OLD.id::text);
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(
      `CREATE TRIGGER users_auth_notify AFTER UPDATE OR DELETE ON "users" FOR EACH ROW EXECUTE FUNCTION auth_notify_change()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER auth_sessions_notify AFTER UPDATE OF revoked_at, expires_at OR DELETE ON "auth_sessions" FOR EACH ROW EXECUTE FUNCTION auth_notify_change()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER auth_sessions_notify ON "auth_sessions"`);
    await queryRunner.query(`DROP TRIGGER users_auth_notify ON "users"`);
    await queryRunner.query(`DROP FUNCTION auth_notify_change()`);
    await queryRunner.query(`ALTER TABLE "auth_sessions" DROP CONSTRAINT "FK_50ccaa6440288a06f0ba693ccc6"`);
    await queryRunner.query(`DROP INDEX "public"."ix_auth_sessions_user"`);
    await queryRunner.query(`DROP TABLE "auth_sessions"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "demo"`);
  }
}
