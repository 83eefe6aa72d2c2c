import { Migration } from '@mikro-orm/migrations';

/**
 * Draft-only links a unit head gives staff to prepare the report, and who saved a task's draft
 * last (the head, or the name on a draft-only link); a unit's tasks indexed for its history.
 */
export class Migration20261207100000 extends Migration {
  override name = 'Migration20261207100000';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "draft_link" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "task_id" int not null, "token_hash" varchar(64) not null, "holder_name" varchar(200) not null, "revoked_at" timestamptz null);`,
    );
    this.addSql(`create index "draft_link_task_id_index" on "draft_link" ("task_id");`);
    this.addSql(`alter table "draft_link" add constraint "draft_link_token_hash_unique" unique ("token_hash");`);
    this.addSql(
      `alter table "draft_link" add constraint "draft_link_task_id_foreign" foreign key ("task_id") references "unit_task" ("id");`,
    );
    this.addSql(`alter table "unit_task" add "draft_saved_by" varchar(200) null;`);
    this.addSql(`create index "unit_task_unit_id_index" on "unit_task" ("unit_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "draft_link" cascade;`);
    this.addSql(`drop index "unit_task_unit_id_index";`);
    this.addSql(`alter table "unit_task" drop column "draft_saved_by";`);
  }
}
