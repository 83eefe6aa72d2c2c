import { Migration } from '@mikro-orm/migrations';

export class Migration20261123122008 extends Migration {
  override name = 'Migration20261123122008';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "workflow_history" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "cycle_id" int not null, "workflow_id" varchar(300) not null, "run_id" varchar(100) not null, "status" varchar(30) not null, "event_count" int not null, "size_bytes" int not null, "sha256" varchar(64) not null, "history" jsonb not null);`,
    );
    this.addSql(`create index "workflow_history_workflow_id_index" on "workflow_history" ("workflow_id");`);
    this.addSql(
      `alter table "workflow_history" add constraint "workflow_history_workflow_id_run_id_unique" unique ("workflow_id", "run_id");`,
    );

    this.addSql(`drop trigger if exists "audit_event_no_update_delete" on "audit_event";`);
    this.addSql(`drop function if exists "audit_event_audit_event_no_update_delete_fn"();`);
    this.addSql(
      `create or replace function "audit_event_audit_event_no_truncate_fn"() returns trigger as \$\$ begin raise exception 'audit_event is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege'; end; \$\$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "audit_event_no_truncate" BEFORE TRUNCATE on "audit_event" for each STATEMENT execute function "audit_event_audit_event_no_truncate_fn"();`,
    );
    this.addSql(
      `create or replace function "audit_event_audit_event_no_update_delete_fn"() returns trigger as \$\$ begin raise exception 'audit_event is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege'; end; \$\$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "audit_event_no_update_delete" BEFORE UPDATE OR DELETE on "audit_event" for each ROW execute function "audit_event_audit_event_no_update_delete_fn"();`,
    );

    this.addSql(
      `alter table "workflow_history" add constraint "workflow_history_cycle_id_foreign" foreign key ("cycle_id") references "cycle" ("id");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "workflow_history" cascade;`);

    this.addSql(`drop trigger if exists "audit_event_no_truncate" on "audit_event";`);
    this.addSql(`drop function if exists "audit_event_audit_event_no_truncate_fn"();`);
    this.addSql(`drop trigger if exists "audit_event_no_update_delete" on "audit_event";`);
    this.addSql(`drop function if exists "audit_event_audit_event_no_update_delete_fn"();`);
    this.addSql(
      `create or replace function "audit_event_audit_event_no_update_delete_fn"() returns trigger as \$\$ begin ; end; \$\$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "audit_event_no_update_delete" BEFORE DELETE OR UPDATE on "audit_event" for each ROW execute function "audit_event_audit_event_no_update_delete_fn"();`,
    );
  }
}
