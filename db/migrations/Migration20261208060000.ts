import { Migration } from '@mikro-orm/migrations';

/** Summaries stored once computed, with the basis (months' states and approved versions) they were computed from. */
export class Migration20261208060000 extends Migration {
  override name = 'Migration20261208060000';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "stored_summary" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "campaign_id" int not null, "window_code" varchar(30) not null, "node" varchar(64) not null, "basis" text not null, "content" jsonb not null);`,
    );
    this.addSql(
      `alter table "stored_summary" add constraint "stored_summary_campaign_id_window_code_node_unique" unique ("campaign_id", "window_code", "node");`,
    );
    this.addSql(
      `alter table "stored_summary" add constraint "stored_summary_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "stored_summary" cascade;`);
  }
}
