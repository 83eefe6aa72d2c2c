import { Migration } from '@mikro-orm/migrations';

export class Migration20261123121737 extends Migration {
  override name = 'Migration20261123121737';

  override up(): void | Promise<void> {
    // Gapless chain positions; rows written before this migration are numbered in id order.
    this.addSql(`alter table "audit_event" add "seq" bigint null;`);
    this.addSql(
      `update "audit_event" set "seq" = n.rn from (select id, row_number() over (order by id) as rn from "audit_event") n where n.id = "audit_event"."id";`,
    );
    this.addSql(`alter table "audit_event" alter column "seq" set not null;`);
    this.addSql(`alter table "audit_event" add constraint "audit_event_seq_unique" unique ("seq");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "audit_event" drop constraint "audit_event_seq_unique";`);
    this.addSql(`alter table "audit_event" drop column "seq";`);
  }
}
