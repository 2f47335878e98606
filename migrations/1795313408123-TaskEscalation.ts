import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Escalation target of an overdue task: the task stays in its own queue (its role still acts) and is
 * also shown in the escalation queue. The partial index serves that queue's listing.
 */
export class TaskEscalation1795313408123 implements MigrationInterface {
  name = 'TaskEscalation1795313408123';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "tasks" ADD "escalated_to" character varying(40)`);
    await queryRunner.query(
      `CREATE INDEX "ix_tasks_escalated" ON "tasks" ("escalated_to", "status", "due_at", "id") WHERE escalated_to IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_tasks_escalated"`);
    await queryRunner.query(`ALTER TABLE "tasks" DROP COLUMN "escalated_to"`);
  }
}
