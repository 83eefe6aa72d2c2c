import { Migration } from '@mikro-orm/migrations';

export class Migration20261123121737 extends Migration {

  override name = 'Migration20261123121737';

  override up(): void | Promise<void> {
    // Gapless chain positions; rows written before this migration are numbered in id order.
    this.addSql(`alter table "audit_event" add "seq" bigint null;`);
    this.addSql(`update "audit_event" set "seq" = n.rn from (select id, row_number() over (order by id) as rn from "audit_event") n where n.id = "audit_event"."id";`);
    this.addSql(`alter table "audit_event" alter column "seq" set not null;`);
    this.addSql(`alter table "audit_event" add constraint "audit_event_seq_unique" unique ("seq");`);

    // Append-only: the database itself refuses to change or remove an audit event.
    this.addSql(`create function audit_event_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_event is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
      end $$;`);
    this.addSql(`create trigger audit_event_no_update_delete before update or delete on "audit_event" for each row execute function audit_event_append_only();`);
    this.addSql(`create trigger audit_event_no_truncate before truncate on "audit_event" for each statement execute function audit_event_append_only();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger audit_event_no_truncate on "audit_event";`);
    this.addSql(`drop trigger audit_event_no_update_delete on "audit_event";`);
    this.addSql(`drop function audit_event_append_only();`);
    this.addSql(`alter table "audit_event" drop constraint "audit_event_seq_unique";`);
    this.addSql(`alter table "audit_event" drop column "seq";`);
  }

}
