import { Migration } from '@mikro-orm/migrations';

/** Archived histories of a campaign's own workflows (summaries, cut-offs, registration rounds, title votes): no cycle. */
export class Migration20261208400000 extends Migration {
  override name = 'Migration20261208400000';

  override up(): void | Promise<void> {
    this.addSql(`alter table "workflow_history" drop constraint "workflow_history_cycle_id_foreign";`);
    this.addSql(`alter table "workflow_history" add "campaign_id" int null;`);
    this.addSql(
      `alter table "workflow_history" add constraint "workflow_history_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id") on delete set null;`,
    );
    this.addSql(`alter table "workflow_history" alter column "cycle_id" drop not null;`);
    this.addSql(
      `alter table "workflow_history" add constraint "workflow_history_cycle_id_foreign" foreign key ("cycle_id") references "cycle" ("id") on delete set null;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "workflow_history" drop constraint "workflow_history_campaign_id_foreign";`);
    this.addSql(`alter table "workflow_history" drop constraint "workflow_history_cycle_id_foreign";`);
    this.addSql(`alter table "workflow_history" drop column "campaign_id";`);
    this.addSql(`alter table "workflow_history" alter column "cycle_id" set not null;`);
    this.addSql(
      `alter table "workflow_history" add constraint "workflow_history_cycle_id_foreign" foreign key ("cycle_id") references "cycle" ("id") on update no action on delete no action;`,
    );
  }
}
