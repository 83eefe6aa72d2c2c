import { Migration } from '@mikro-orm/migrations';

/** Emulation blocs, their scoring tables, the council's hand scores and frozen rankings. */
export class Migration20261208200000 extends Migration {
  override name = 'Migration20261208200000';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "bloc" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "campaign_id" int not null, "code" varchar(64) not null, "name" varchar(300) not null, "year" int not null, "unit_codes" jsonb not null);`,
    );
    this.addSql(`alter table "bloc" add constraint "bloc_campaign_id_code_unique" unique ("campaign_id", "code");`);

    this.addSql(
      `create table "scoring_table" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "bloc_id" int not null, "criteria" jsonb not null);`,
    );
    this.addSql(`alter table "scoring_table" add constraint "scoring_table_bloc_id_unique" unique ("bloc_id");`);

    this.addSql(
      `create table "hand_score" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "bloc_id" int not null, "window_code" varchar(30) not null, "criterion_code" varchar(64) not null, "unit_code" varchar(64) not null, "hundredths" int not null, "reason" text not null, "set_by" varchar(200) not null, "set_at" timestamptz not null);`,
    );
    this.addSql(
      `alter table "hand_score" add constraint "hand_score_bloc_id_window_code_criterion_code_unit_code_unique" unique ("bloc_id", "window_code", "criterion_code", "unit_code");`,
    );

    this.addSql(
      `create table "frozen_ranking" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "bloc_id" int not null, "window_code" varchar(30) not null, "content" jsonb not null, "sha256" varchar(64) not null, "frozen_at" timestamptz not null, "frozen_by" varchar(200) not null);`,
    );
    this.addSql(
      `alter table "frozen_ranking" add constraint "frozen_ranking_bloc_id_window_code_unique" unique ("bloc_id", "window_code");`,
    );

    this.addSql(
      `alter table "bloc" add constraint "bloc_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id");`,
    );

    this.addSql(
      `alter table "scoring_table" add constraint "scoring_table_bloc_id_foreign" foreign key ("bloc_id") references "bloc" ("id");`,
    );

    this.addSql(
      `alter table "hand_score" add constraint "hand_score_bloc_id_foreign" foreign key ("bloc_id") references "bloc" ("id");`,
    );

    this.addSql(
      `alter table "frozen_ranking" add constraint "frozen_ranking_bloc_id_foreign" foreign key ("bloc_id") references "bloc" ("id");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "scoring_table" drop constraint "scoring_table_bloc_id_foreign";`);
    this.addSql(`alter table "hand_score" drop constraint "hand_score_bloc_id_foreign";`);
    this.addSql(`alter table "frozen_ranking" drop constraint "frozen_ranking_bloc_id_foreign";`);

    this.addSql(`drop table if exists "bloc" cascade;`);
    this.addSql(`drop table if exists "scoring_table" cascade;`);
    this.addSql(`drop table if exists "hand_score" cascade;`);
    this.addSql(`drop table if exists "frozen_ranking" cascade;`);
  }
}
