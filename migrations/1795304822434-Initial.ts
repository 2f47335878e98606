import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Generated from the entities by `npm run migration:generate`, then edited: the audit sequence. */

export class Initial1795304822434 implements MigrationInterface {
  name = 'Initial1795304822434';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "username" character varying(64) NOT NULL, "display_name" character varying(200) NOT NULL, "password_hash" character varying(300) NOT NULL, "roles" text array NOT NULL, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_fe0bb3f6520ee0469504521e710" UNIQUE ("username"), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "funds" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(200) NOT NULL, "type" character varying(16) NOT NULL, "size_fen" bigint NOT NULL, "vintage_year" integer NOT NULL, "term_years" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_1f75267be3bc308d50540bfe17e" UNIQUE ("name"), CONSTRAINT "PK_d785f4bb8f680f3febd40718f68" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "cases" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "fund_id" uuid NOT NULL, "company_name" character varying(200) NOT NULL, "sector" character varying(100) NOT NULL, "requested_amount_fen" bigint NOT NULL, "summary" text NOT NULL, "owner_id" uuid NOT NULL, "state" character varying(64) NOT NULL, "snapshot" jsonb NOT NULL, "machine_version" integer NOT NULL, "version" integer NOT NULL, "invested_fen" bigint, "proceeds_fen" bigint, "head_hash" character(64), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_264acb3048c240fb89aa34626db" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_cases_owner_created" ON "cases"  ("owner_id", "created_at", "id") `);
    await queryRunner.query(`CREATE INDEX "ix_cases_fund_created" ON "cases"  ("fund_id", "created_at", "id") `);
    await queryRunner.query(`CREATE INDEX "ix_cases_state_created" ON "cases"  ("state", "created_at", "id") `);
    await queryRunner.query(`CREATE INDEX "ix_cases_created" ON "cases"  ("created_at", "id") `);
    await queryRunner.query(
      `CREATE TABLE "audit_entries" ("seq" bigint NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor_id" uuid, "actor_roles" text array NOT NULL, "case_id" uuid, "type" character varying(64) NOT NULL, "from_state" character varying(64), "to_state" character varying(64), "reason" text, "payload" jsonb NOT NULL, "prev_hash" character(64) NOT NULL, "hash" character(64) NOT NULL, CONSTRAINT "PK_0de907d00514c64bf4c6fd7ae10" PRIMARY KEY ("seq"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_audit_at" ON "audit_entries"  ("at", "seq") `);
    await queryRunner.query(`CREATE INDEX "ix_audit_type_at" ON "audit_entries"  ("type", "at", "seq") `);
    await queryRunner.query(`CREATE INDEX "ix_audit_actor_at" ON "audit_entries"  ("actor_id", "at", "seq") `);
    await queryRunner.query(`CREATE INDEX "ix_audit_case_seq" ON "audit_entries"  ("case_id", "seq") `);
    await queryRunner.query(
      `CREATE TABLE "audit_chain_heads" ("chain" character varying(32) NOT NULL, "head_hash" character(64) NOT NULL, CONSTRAINT "PK_177ffb3d30ea05da818b750eae3" PRIMARY KEY ("chain"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "tasks" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "key" character varying(120) NOT NULL, "kind" character varying(40) NOT NULL, "queue" character varying(40) NOT NULL, "case_state" character varying(64) NOT NULL, "assignee_id" uuid, "status" character varying(8) NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "escalated_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "completed_at" TIMESTAMP WITH TIME ZONE, "completed_by" uuid, CONSTRAINT "PK_8d12ff38fcc62aaba2cab748772" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_tasks_escalation_due" ON "tasks"  ("due_at") WHERE status = 'open' AND escalated_at IS NULL`);
    await queryRunner.query(`CREATE INDEX "ix_tasks_case" ON "tasks"  ("case_id", "status") `);
    await queryRunner.query(`CREATE INDEX "ix_tasks_assignee" ON "tasks"  ("assignee_id", "status", "due_at", "id") `);
    await queryRunner.query(`CREATE INDEX "ix_tasks_queue" ON "tasks"  ("queue", "status", "due_at", "id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_tasks_open_key" ON "tasks"  ("case_id", "key") WHERE status = 'open'`);
    await queryRunner.query(
      `ALTER TABLE "cases" ADD CONSTRAINT "FK_b143a2367c9c26b10f304e20a1f" FOREIGN KEY ("fund_id") REFERENCES "funds"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "cases" ADD CONSTRAINT "FK_db631d0b7f9d9ed808d6a51331c" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // Hand-written: audit seq values are taken before hashing, so the hash covers them.
    await queryRunner.query(`INSERT INTO "audit_chain_heads" ("chain", "head_hash") VALUES ('system', repeat('0', 64))`);
    await queryRunner.query(`CREATE SEQUENCE "audit_entries_seq" AS bigint START 1 OWNED BY "audit_entries"."seq"`);
    await queryRunner.query(
      `ALTER TABLE "tasks" ADD CONSTRAINT "FK_3e67786c246786713f779cc99b0" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "tasks" DROP CONSTRAINT "FK_3e67786c246786713f779cc99b0"`);
    await queryRunner.query(`ALTER TABLE "cases" DROP CONSTRAINT "FK_db631d0b7f9d9ed808d6a51331c"`);
    await queryRunner.query(`ALTER TABLE "cases" DROP CONSTRAINT "FK_b143a2367c9c26b10f304e20a1f"`);
    await queryRunner.query(`DROP INDEX "public"."ux_tasks_open_key"`);
    await queryRunner.query(`DROP INDEX "public"."ix_tasks_queue"`);
    await queryRunner.query(`DROP INDEX "public"."ix_tasks_assignee"`);
    await queryRunner.query(`DROP INDEX "public"."ix_tasks_case"`);
    await queryRunner.query(`DROP INDEX "public"."ix_tasks_escalation_due"`);
    await queryRunner.query(`DROP TABLE "tasks"`);
    await queryRunner.query(`DROP TABLE "audit_chain_heads"`);
    await queryRunner.query(`DROP INDEX "public"."ix_audit_case_seq"`);
    await queryRunner.query(`DROP INDEX "public"."ix_audit_actor_at"`);
    await queryRunner.query(`DROP INDEX "public"."ix_audit_type_at"`);
    await queryRunner.query(`DROP INDEX "public"."ix_audit_at"`);
    await queryRunner.query(`DROP TABLE "audit_entries"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cases_created"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cases_state_created"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cases_fund_created"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cases_owner_created"`);
    await queryRunner.query(`DROP TABLE "cases"`);
    await queryRunner.query(`DROP TABLE "funds"`);
    await queryRunner.query(`DROP TABLE "users"`);
  }
}
