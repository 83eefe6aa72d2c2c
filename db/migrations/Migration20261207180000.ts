import { Migration } from '@mikro-orm/migrations';

/** Frozen periodic summaries: one per campaign and window, written by the summary workflow. */
export class Migration20261207180000 extends Migration {
  override name = 'Migration20261207180000';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "frozen_summary" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "campaign_id" int not null, "window_code" varchar(30) not null, "content" jsonb not null, "sha256" varchar(64) not null, "frozen_at" timestamptz not null, "workflow_id" varchar(250) not null);`,
    );
    this.addSql(
      `alter table "frozen_summary" add constraint "frozen_summary_campaign_id_window_code_unique" unique ("campaign_id", "window_code");`,
    );
    this.addSql(
      `alter table "frozen_summary" add constraint "frozen_summary_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "frozen_summary" cascade;`);
  }
}
