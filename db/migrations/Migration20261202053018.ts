import { Migration } from '@mikro-orm/migrations';

/**
 * Timeliness kept apart per round (domain/timeliness.ts): a revision round's deadline lives in
 * `unit_task.revision_deadline` instead of replacing the task's schedule, and every submission
 * stores the deadline it answered.
 */
export class Migration20261202053018 extends Migration {
  override name = 'Migration20261202053018';

  override up(): void | Promise<void> {
    this.addSql(`alter table "unit_task" add "revision_deadline" timestamptz null;`);
    this.addSql(`alter table "submission" add "deadline" timestamptz null;`);
    this.addSql(
      `update "submission" s set "deadline" = (t."schedule"->>'deadline')::timestamptz from "unit_task" t where t."id" = s."task_id";`,
    );
    this.addSql(`alter table "submission" alter column "deadline" set not null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "submission" drop column "deadline";`);
    this.addSql(`alter table "unit_task" drop column "revision_deadline";`);
  }
}
