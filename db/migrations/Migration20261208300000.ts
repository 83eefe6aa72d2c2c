import { Migration } from '@mikro-orm/migrations';

export class Migration20261208300000 extends Migration {
  override name = 'Migration20261208300000';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "title_vote" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "campaign_id" int not null, "year" int not null, "status" text not null, "roll" jsonb not null, "rules" jsonb not null, "opened_by" varchar(200) not null, "opened_at" timestamptz not null, "closes_at" timestamptz not null, "remind_before_seconds" int not null, "closed_at" timestamptz null, "closed_by" varchar(200) null, "workflow_id" varchar(250) not null);`,
    );
    this.addSql(
      `alter table "title_vote" add constraint "title_vote_campaign_id_year_unique" unique ("campaign_id", "year");`,
    );

    this.addSql(
      `create table "title_nominee" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "vote_id" int not null, "position" int not null, "unit_code" varchar(64) not null, "unit_name" varchar(300) not null, "title" text not null, "reason" text null, "result" jsonb null);`,
    );
    this.addSql(`create index "title_nominee_vote_id_index" on "title_nominee" ("vote_id");`);
    this.addSql(
      `alter table "title_nominee" add constraint "title_nominee_vote_id_unit_code_title_unique" unique ("vote_id", "unit_code", "title");`,
    );

    this.addSql(
      `create table "title_ballot" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "vote_id" int not null, "nominee_id" int not null, "voter_id" int not null, "kind" text not null, "choice" text not null, "recorded_by" varchar(200) null);`,
    );
    this.addSql(`create index "title_ballot_vote_id_index" on "title_ballot" ("vote_id");`);
    this.addSql(
      `alter table "title_ballot" add constraint "title_ballot_nominee_id_voter_id_unique" unique ("nominee_id", "voter_id");`,
    );

    this.addSql(`alter table "email" drop constraint "email_kind_check";`);
    this.addSql(
      `alter table "email" add constraint "email_kind_check" check ("kind" in ('dispatch', 'reminder', 'escalation_supervisor', 'escalation_secretariat', 'revision', 'publication', 'link_resent', 'review_expired', 'sign_in', 'title_vote_opened', 'title_vote_reminder'));`,
    );

    this.addSql(
      `alter table "title_vote" add constraint "title_vote_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id");`,
    );
    this.addSql(
      `alter table "title_vote" add constraint "title_vote_status_check" check ("status" in ('open', 'closed'));`,
    );

    this.addSql(
      `alter table "title_nominee" add constraint "title_nominee_vote_id_foreign" foreign key ("vote_id") references "title_vote" ("id");`,
    );
    this.addSql(
      `alter table "title_nominee" add constraint "title_nominee_title_check" check ("title" in ('co_thi_dua_chinh_phu', 'co_thi_dua_bo', 'tap_the_lao_dong_xuat_sac', 'tap_the_lao_dong_tien_tien'));`,
    );

    this.addSql(
      `alter table "title_ballot" add constraint "title_ballot_vote_id_foreign" foreign key ("vote_id") references "title_vote" ("id");`,
    );
    this.addSql(
      `alter table "title_ballot" add constraint "title_ballot_nominee_id_foreign" foreign key ("nominee_id") references "title_nominee" ("id");`,
    );
    this.addSql(
      `alter table "title_ballot" add constraint "title_ballot_voter_id_foreign" foreign key ("voter_id") references "person" ("id");`,
    );
    this.addSql(
      `alter table "title_ballot" add constraint "title_ballot_kind_check" check ("kind" in ('ballot', 'written_opinion'));`,
    );
    this.addSql(
      `alter table "title_ballot" add constraint "title_ballot_choice_check" check ("choice" in ('agree', 'disagree', 'abstain'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "title_nominee" drop constraint "title_nominee_vote_id_foreign";`);
    this.addSql(`alter table "title_ballot" drop constraint "title_ballot_vote_id_foreign";`);
    this.addSql(`alter table "title_ballot" drop constraint "title_ballot_nominee_id_foreign";`);

    this.addSql(`drop table if exists "title_vote" cascade;`);
    this.addSql(`drop table if exists "title_nominee" cascade;`);
    this.addSql(`drop table if exists "title_ballot" cascade;`);

    this.addSql(`alter table "email" drop constraint "email_kind_check";`);
    this.addSql(
      `alter table "email" add constraint "email_kind_check" check ("kind" in ('dispatch', 'reminder', 'escalation_supervisor', 'escalation_secretariat', 'revision', 'publication', 'link_resent', 'review_expired', 'sign_in'));`,
    );
  }
}
