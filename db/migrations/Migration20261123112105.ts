import { Migration } from '@mikro-orm/migrations';

export class Migration20261123112105 extends Migration {
  override name = 'Migration20261123112105';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "commendation_decision" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "cycle_id" int not null, "report_version" int not null, "proposal_id" varchar(200) not null, "unit_code" varchar(64) not null, "nominee" varchar(5000) not null, "requested_form" varchar(5000) not null, "approved" boolean not null, "approvals" int not null, "rejections" int not null, "members" int not null);`,
    );
    this.addSql(
      `alter table "commendation_decision" add constraint "commendation_decision_cycle_id_proposal_id_unique" unique ("cycle_id", "proposal_id");`,
    );

    this.addSql(
      `create table "ballot" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "cycle_id" int not null, "report_version" int not null, "voter_id" int not null, "subject_key" varchar(200) not null, "choice" text not null, "unit_codes" jsonb null, "comment" text null);`,
    );
    this.addSql(
      `alter table "ballot" add constraint "ballot_cycle_id_report_version_voter_id_subject_key_unique" unique ("cycle_id", "report_version", "voter_id", "subject_key");`,
    );

    this.addSql(`alter table "email" drop constraint "email_kind_check";`);
    this.addSql(
      `alter table "email" add constraint "email_kind_check" check ("kind" in ('dispatch', 'reminder', 'escalation_supervisor', 'escalation_secretariat', 'revision', 'publication', 'link_resent', 'review_expired'));`,
    );

    this.addSql(
      `alter table "cycle" add "review_version" int null, add "review_ends_at" timestamptz null, add "cancel_reason" text null;`,
    );

    this.addSql(
      `alter table "commendation_decision" add constraint "commendation_decision_cycle_id_foreign" foreign key ("cycle_id") references "cycle" ("id");`,
    );

    this.addSql(
      `alter table "ballot" add constraint "ballot_cycle_id_foreign" foreign key ("cycle_id") references "cycle" ("id");`,
    );
    this.addSql(
      `alter table "ballot" add constraint "ballot_voter_id_foreign" foreign key ("voter_id") references "api_token" ("id");`,
    );
    this.addSql(
      `alter table "ballot" add constraint "ballot_choice_check" check ("choice" in ('approve', 'request_revision', 'reject'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "commendation_decision" cascade;`);
    this.addSql(`drop table if exists "ballot" cascade;`);

    this.addSql(
      `alter table "cycle" drop column "review_version", drop column "review_ends_at", drop column "cancel_reason";`,
    );

    this.addSql(`alter table "email" drop constraint "email_kind_check";`);
    this.addSql(
      `alter table "email" add constraint "email_kind_check" check ("kind" in ('dispatch', 'reminder', 'escalation_supervisor', 'escalation_secretariat', 'revision', 'publication', 'link_resent'));`,
    );
  }
}
