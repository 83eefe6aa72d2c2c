import { Migration } from '@mikro-orm/migrations';

/**
 * Campaigns of several levels: a campaign may name the unit at the top of its tree, and a task
 * records the task of the unit it reports to and its level (0 for a unit with nothing below it).
 */
export class Migration20261202100600 extends Migration {
  override name = 'Migration20261202100600';

  override up(): void | Promise<void> {
    this.addSql(`alter table "campaign" add "root_unit_id" int null;`);
    this.addSql(
      `alter table "campaign" add constraint "campaign_root_unit_id_foreign" foreign key ("root_unit_id") references "unit" ("id") on delete set null;`,
    );
    this.addSql(`alter table "unit_task" add "parent_task_id" int null, add "level" int not null default 0;`);
    this.addSql(
      `alter table "unit_task" add constraint "unit_task_parent_task_id_foreign" foreign key ("parent_task_id") references "unit_task" ("id") on delete set null;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "unit_task" drop constraint "unit_task_parent_task_id_foreign";`);
    this.addSql(`alter table "unit_task" drop column "parent_task_id", drop column "level";`);
    this.addSql(`alter table "campaign" drop constraint "campaign_root_unit_id_foreign";`);
    this.addSql(`alter table "campaign" drop column "root_unit_id";`);
  }
}
