import { Migration } from '@mikro-orm/migrations';

export class Migration20261208100000 extends Migration {
  override name = 'Migration20261208100000';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "registration_round" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "campaign_id" int not null, "year" int not null, "template_id" int not null, "deadline" timestamptz not null, "reminders" jsonb not null, "workflow_id" varchar(250) not null, "opened_by" varchar(200) not null, "closed_at" timestamptz null);`,
    );
    this.addSql(
      `alter table "registration_round" add constraint "registration_round_workflow_id_unique" unique ("workflow_id");`,
    );
    this.addSql(
      `alter table "registration_round" add constraint "registration_round_campaign_id_year_unique" unique ("campaign_id", "year");`,
    );

    this.addSql(
      `create table "emulation_registration" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "round_id" int not null, "unit_id" int not null, "token_hash" varchar(64) not null, "dispatched_at" timestamptz null, "reminders_sent" int not null default 0, "targets" jsonb null, "titles" jsonb null, "submitted_at" timestamptz null, "submitted_by" varchar(200) null, "version" int not null default 0);`,
    );
    this.addSql(
      `alter table "emulation_registration" add constraint "emulation_registration_token_hash_unique" unique ("token_hash");`,
    );
    this.addSql(
      `alter table "emulation_registration" add constraint "emulation_registration_round_id_unit_id_unique" unique ("round_id", "unit_id");`,
    );

    this.addSql(`alter table "email" drop constraint "email_kind_check";`);
    this.addSql(
      `alter table "email" add constraint "email_kind_check" check ("kind" in ('dispatch', 'reminder', 'escalation_supervisor', 'escalation_secretariat', 'revision', 'publication', 'link_resent', 'review_expired', 'sign_in', 'registration_dispatch', 'registration_reminder'));`,
    );

    this.addSql(
      `alter table "registration_round" add constraint "registration_round_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id");`,
    );
    this.addSql(
      `alter table "registration_round" add constraint "registration_round_template_id_foreign" foreign key ("template_id") references "report_template" ("id");`,
    );

    this.addSql(
      `alter table "emulation_registration" add constraint "emulation_registration_round_id_foreign" foreign key ("round_id") references "registration_round" ("id");`,
    );
    this.addSql(
      `alter table "emulation_registration" add constraint "emulation_registration_unit_id_foreign" foreign key ("unit_id") references "unit" ("id");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "emulation_registration" drop constraint "emulation_registration_round_id_foreign";`);

    this.addSql(`drop table if exists "registration_round" cascade;`);
    this.addSql(`drop table if exists "emulation_registration" cascade;`);

    this.addSql(`alter table "email" drop constraint "email_kind_check";`);
    this.addSql(
      `alter table "email" add constraint "email_kind_check" check ("kind" in ('dispatch', 'reminder', 'escalation_supervisor', 'escalation_secretariat', 'revision', 'publication', 'link_resent', 'review_expired', 'sign_in'));`,
    );
  }
}
