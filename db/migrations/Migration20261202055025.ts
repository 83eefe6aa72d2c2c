import { Migration } from '@mikro-orm/migrations';

/**
 * Access that can end: console sessions held on the server (`session`), and an expiry on every
 * API token (tokens issued before this get 90 days from their creation). And `replaced_link`,
 * filled by a trigger whenever a task's link is replaced, so an old link is recognised by one
 * lookup instead of re-deriving every replaced link's token.
 * (The generator also proposed dropping the audit chain's triggers and functions, which it cannot
 * describe from the entities: removed by hand.)
 */
export class Migration20261202055025 extends Migration {
  override name = 'Migration20261202055025';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "session" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "id_hash" varchar(64) not null, "token_id" int not null, "name" varchar(200) not null, "role" text not null, "origin" varchar(300) null, "expires_at" timestamptz not null, "ended_at" timestamptz null, "end_reason" varchar(300) null);`,
    );
    this.addSql(`alter table "session" add constraint "session_id_hash_unique" unique ("id_hash");`);
    this.addSql(`create index "session_token_id_index" on "session" ("token_id");`);

    this.addSql(
      `create table "replaced_link" ("token_hash" varchar(64) not null, "task_id" int not null, "token_version" int not null, "replaced_at" timestamptz not null, primary key ("token_hash"));`,
    );
    this.addSql(`create index "replaced_link_task_id_index" on "replaced_link" ("task_id");`);

    this.addSql(`alter table "api_token" add "expires_at" timestamptz null;`);
    this.addSql(`update "api_token" set "expires_at" = "created_at" + interval '90 days';`);
    this.addSql(`alter table "api_token" alter column "expires_at" set not null;`);

    this
      .addSql(`create or replace function "unit_task_unit_task_keep_replaced_link_fn"() returns trigger as \$\$ begin if OLD.token_hash is not null and OLD.token_hash is distinct from NEW.token_hash then
  insert into "replaced_link" ("token_hash", "task_id", "token_version", "replaced_at") values (OLD.token_hash, OLD.id, OLD.token_version, now()) on conflict do nothing; end if; return null; end; \$\$ language plpgsql;`);
    this.addSql(
      `create trigger "unit_task_keep_replaced_link" AFTER UPDATE on "unit_task" for each ROW execute function "unit_task_unit_task_keep_replaced_link_fn"();`,
    );

    this.addSql(
      `alter table "session" add constraint "session_token_id_foreign" foreign key ("token_id") references "api_token" ("id");`,
    );
    this.addSql(
      `alter table "session" add constraint "session_role_check" check ("role" in ('admin', 'council', 'auditor'));`,
    );

    this.addSql(
      `alter table "replaced_link" add constraint "replaced_link_task_id_foreign" foreign key ("task_id") references "unit_task" ("id");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "session" cascade;`);
    this.addSql(`drop table if exists "replaced_link" cascade;`);

    this.addSql(`alter table "api_token" drop column "expires_at";`);

    this.addSql(`drop trigger if exists "unit_task_keep_replaced_link" on "unit_task";`);
    this.addSql(`drop function if exists "unit_task_unit_task_keep_replaced_link_fn"();`);
  }
}
