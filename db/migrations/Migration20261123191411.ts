import { Migration } from '@mikro-orm/migrations';

/**
 * Set-based collection: which workflow a stored report wakes (`cycle.report_wake`; cycles opened
 * before keep `unit`), and an index of the tasks still awaited, for the check after each report.
 * (The generator also proposed dropping the audit chain's deferred trigger, which it cannot
 * describe from the entities: removed by hand.)
 */
export class Migration20261123191411 extends Migration {
  override name = 'Migration20261123191411';

  override up(): void | Promise<void> {
    this.addSql(`alter table "cycle" add "report_wake" text not null default 'unit';`);
    this.addSql(
      `alter table "cycle" add constraint "cycle_report_wake_check" check ("report_wake" in ('unit', 'cycle'));`,
    );

    this.addSql(
      `create index "unit_task_open_by_cycle" on "unit_task" ("cycle_id") where "state" in ('pending', 'dispatched', 'draft', 'overdue', 'escalated', 'revision_requested');`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "cycle" drop constraint "cycle_report_wake_check";`);
    this.addSql(`alter table "cycle" drop column "report_wake";`);

    this.addSql(`drop index "unit_task_open_by_cycle";`);
  }
}
