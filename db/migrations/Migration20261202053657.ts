import { Migration } from '@mikro-orm/migrations';

/**
 * Every report wakes its cycle once no task of the cycle waits for a report any more, so the cycle
 * no longer records which workflow a report wakes (`cycle.report_wake`). (The generator also
 * proposed dropping the audit chain's trigger and functions, which it cannot describe from the
 * entities: removed by hand.)
 */
export class Migration20261202053657 extends Migration {
  override name = 'Migration20261202053657';

  override up(): void | Promise<void> {
    this.addSql(`alter table "cycle" drop constraint "cycle_report_wake_check";`);
    this.addSql(`alter table "cycle" drop column "report_wake";`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "cycle" add "report_wake" text not null default 'cycle';`);
    this.addSql(
      `alter table "cycle" add constraint "cycle_report_wake_check" check ("report_wake" in ('unit', 'cycle'));`,
    );
  }
}
