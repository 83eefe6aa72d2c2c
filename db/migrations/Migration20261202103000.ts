import { Migration } from '@mikro-orm/migrations';

export class Migration20261202103000 extends Migration {
  override name = 'Migration20261202103000';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "person" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "name" varchar(200) not null, "email" varchar(320) not null, "status" text not null default 'active');`,
    );
    this.addSql(`alter table "person" add constraint "person_email_unique" unique ("email");`);
    this.addSql(
      `alter table "person" add constraint "person_status_check" check ("status" in ('active', 'disabled'));`,
    );

    this.addSql(
      `create table "council_member" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "campaign_id" int not null, "person_id" int not null, "position" text not null);`,
    );
    this.addSql(`create index "council_member_campaign_id_index" on "council_member" ("campaign_id");`);
    this.addSql(
      `alter table "council_member" add constraint "council_member_campaign_id_person_id_unique" unique ("campaign_id", "person_id");`,
    );

    this.addSql(
      `create table "review_roll" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "cycle_id" int not null, "report_version" int not null, "member_ids" jsonb not null, "members" int not null);`,
    );
    this.addSql(
      `alter table "review_roll" add constraint "review_roll_cycle_id_report_version_unique" unique ("cycle_id", "report_version");`,
    );

    this.addSql(
      `create table "sign_in_link" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "person_id" int not null, "token_hash" varchar(64) null, "expires_at" timestamptz not null, "used_at" timestamptz null);`,
    );
    this.addSql(`create index "sign_in_link_person_id_index" on "sign_in_link" ("person_id");`);
    this.addSql(`alter table "sign_in_link" add constraint "sign_in_link_token_hash_unique" unique ("token_hash");`);

    this.addSql(
      `create table "role_assignment" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "person_id" int not null, "role" text not null, "scope_kind" text not null, "campaign_id" int null, "unit_id" int null);`,
    );
    this.addSql(`create index "role_assignment_person_id_index" on "role_assignment" ("person_id");`);

    this.addSql(`alter table "email" drop constraint "email_kind_check";`);
    this.addSql(
      `alter table "email" add constraint "email_kind_check" check ("kind" in ('dispatch', 'reminder', 'escalation_supervisor', 'escalation_secretariat', 'revision', 'publication', 'link_resent', 'review_expired', 'sign_in'));`,
    );

    // Tokens made before people existed: each email (or, without one, each token) becomes a person
    // holding the token's role over the whole installation; sessions and ballots follow their token.
    this.addSql(`insert into "person" ("created_at", "updated_at", "name", "email", "status")
      select min("created_at"), now(), (array_agg("name" order by "id"))[1], k, 'active'
      from (select *, lower(coalesce("email", 'token-' || "id" || '@localhost')) as k from "api_token") t group by k;`);
    this.addSql(`alter table "api_token" add "person_id" int null;`);
    this.addSql(
      `update "api_token" t set "person_id" = p."id" from "person" p where p."email" = lower(coalesce(t."email", 'token-' || t."id" || '@localhost'));`,
    );
    this.addSql(`insert into "role_assignment" ("created_at", "updated_at", "person_id", "role", "scope_kind")
      select now(), now(), "person_id", "role", 'installation' from "api_token" group by "person_id", "role";`);
    this.addSql(`alter table "api_token" alter column "person_id" set not null;`);
    this.addSql(`alter table "api_token" drop column "email";`);
    this.addSql(
      `alter table "api_token" add constraint "api_token_person_id_foreign" foreign key ("person_id") references "person" ("id");`,
    );
    this.addSql(`create index "api_token_person_id_index" on "api_token" ("person_id");`);

    this.addSql(`alter table "session" drop constraint "session_token_id_foreign";`);
    this.addSql(`alter table "session" add "person_id" int null, add "method" text not null default 'token';`);
    this.addSql(`update "session" s set "person_id" = t."person_id" from "api_token" t where t."id" = s."token_id";`);
    this.addSql(`alter table "session" alter column "person_id" set not null, alter column "method" drop default;`);
    this.addSql(
      `alter table "session" add constraint "session_person_id_foreign" foreign key ("person_id") references "person" ("id");`,
    );
    this.addSql(`alter table "session" alter column "token_id" drop not null;`);
    this.addSql(
      `alter table "session" add constraint "session_token_id_foreign" foreign key ("token_id") references "api_token" ("id") on delete set null;`,
    );
    this.addSql(`create index "session_person_id_index" on "session" ("person_id");`);
    this.addSql(
      `alter table "session" add constraint "session_method_check" check ("method" in ('token', 'email', 'oidc'));`,
    );

    // A ballot is a person's: one person's second ballot on a subject (cast with another token) goes.
    this.addSql(`alter table "ballot" drop constraint "ballot_voter_id_foreign";`);
    this.addSql(`update "ballot" b set "voter_id" = t."person_id" from "api_token" t where t."id" = b."voter_id";`);
    this.addSql(
      `delete from "ballot" b using "ballot" o where o."cycle_id" = b."cycle_id" and o."report_version" = b."report_version" and o."voter_id" = b."voter_id" and o."subject_key" = b."subject_key" and o."id" < b."id";`,
    );
    this.addSql(
      `alter table "ballot" add constraint "ballot_voter_id_foreign" foreign key ("voter_id") references "person" ("id");`,
    );

    this.addSql(
      `alter table "council_member" add constraint "council_member_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id");`,
    );
    this.addSql(
      `alter table "council_member" add constraint "council_member_person_id_foreign" foreign key ("person_id") references "person" ("id");`,
    );
    this.addSql(
      `alter table "council_member" add constraint "council_member_position_check" check ("position" in ('chair', 'vice_chair', 'member', 'secretary'));`,
    );

    this.addSql(
      `alter table "review_roll" add constraint "review_roll_cycle_id_foreign" foreign key ("cycle_id") references "cycle" ("id");`,
    );

    this.addSql(
      `alter table "sign_in_link" add constraint "sign_in_link_person_id_foreign" foreign key ("person_id") references "person" ("id");`,
    );

    this.addSql(
      `alter table "role_assignment" add constraint "role_assignment_person_id_foreign" foreign key ("person_id") references "person" ("id");`,
    );
    this.addSql(
      `alter table "role_assignment" add constraint "role_assignment_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "role_assignment" add constraint "role_assignment_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "role_assignment" add constraint "role_assignment_role_check" check ("role" in ('admin', 'council', 'auditor'));`,
    );
    this.addSql(
      `alter table "role_assignment" add constraint "role_assignment_scope_kind_check" check ("scope_kind" in ('installation', 'campaign', 'unit'));`,
    );
  }

  override down(): void | Promise<void> {
    throw new Error(
      'Migration20261202103000 (people) cannot be undone: tokens, sessions and ballots now belong to people.',
    );
  }
}
