import { Migration } from '@mikro-orm/migrations';

export class Migration20261123110358 extends Migration {
  override name = 'Migration20261123110358';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "api_token" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "name" varchar(200) not null, "email" varchar(320) null, "role" text not null, "token_hash" varchar(64) not null, "revoked_at" timestamptz null);`,
    );
    this.addSql(`alter table "api_token" add constraint "api_token_token_hash_unique" unique ("token_hash");`);
    this.addSql(
      `alter table "api_token" add constraint "api_token_role_check" check ("role" in ('admin', 'council', 'auditor'));`,
    );

    this.addSql(
      `create table "audit_event" ("id" bigserial primary key, "occurred_at" timestamptz not null, "actor_kind" text not null, "actor_id" varchar(300) not null, "action" varchar(100) not null, "subject_type" varchar(50) not null, "subject_id" varchar(300) not null, "cycle_id" int null, "before" jsonb null, "after" jsonb null, "origin" varchar(300) null, "prev_hash" varchar(64) not null, "hash" varchar(64) not null);`,
    );
    this.addSql(`create index "audit_event_action_index" on "audit_event" ("action");`);
    this.addSql(`create index "audit_event_subject_id_index" on "audit_event" ("subject_id");`);
    this.addSql(`create index "audit_event_cycle_id_index" on "audit_event" ("cycle_id");`);
    this.addSql(`alter table "audit_event" add constraint "audit_event_hash_unique" unique ("hash");`);
    this.addSql(
      `alter table "audit_event" add constraint "audit_event_actor_kind_check" check ("actor_kind" in ('user', 'link', 'system'));`,
    );

    this.addSql(
      `create table "email" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "idempotency_key" varchar(300) not null, "kind" text not null, "cycle_id" int null, "task_id" int null, "recipient" varchar(320) not null, "locale" varchar(2) not null, "params" jsonb not null, "subject" varchar(500) null, "body_sha256" varchar(64) null, "status" text not null, "attempts" int not null default 0, "last_error" text null, "message_id" varchar(300) null, "sent_at" timestamptz null, "audit_event_id" bigint null);`,
    );
    this.addSql(`alter table "email" add constraint "email_idempotency_key_unique" unique ("idempotency_key");`);
    this.addSql(`create index "email_cycle_id_index" on "email" ("cycle_id");`);
    this.addSql(`create index "email_task_id_index" on "email" ("task_id");`);
    this.addSql(
      `alter table "email" add constraint "email_kind_check" check ("kind" in ('dispatch', 'reminder', 'escalation_supervisor', 'escalation_secretariat', 'revision', 'publication', 'link_resent'));`,
    );
    this.addSql(
      `alter table "email" add constraint "email_status_check" check ("status" in ('pending', 'sent', 'failed'));`,
    );

    this.addSql(
      `create table "holiday" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "date" varchar(10) not null, "name" varchar(200) not null);`,
    );
    this.addSql(`alter table "holiday" add constraint "holiday_date_unique" unique ("date");`);

    this.addSql(
      `create table "cycle_policy" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "code" varchar(64) not null, "definition" jsonb not null);`,
    );
    this.addSql(`alter table "cycle_policy" add constraint "cycle_policy_code_unique" unique ("code");`);

    this.addSql(
      `create table "campaign" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "code" varchar(64) not null, "name" varchar(300) not null, "template_code" varchar(64) not null, "policy_id" int not null, "active" boolean not null default true);`,
    );
    this.addSql(`alter table "campaign" add constraint "campaign_code_unique" unique ("code");`);

    this.addSql(
      `create table "report_template" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "code" varchar(64) not null, "version" int not null, "definition" jsonb not null);`,
    );
    this.addSql(
      `alter table "report_template" add constraint "report_template_code_version_unique" unique ("code", "version");`,
    );

    this.addSql(
      `create table "cycle" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "campaign_id" int not null, "period" varchar(7) not null, "workflow_id" varchar(200) not null, "template_id" int not null, "policy" jsonb not null, "plan" jsonb not null, "stage" text not null, "closed_at" timestamptz null);`,
    );
    this.addSql(`alter table "cycle" add constraint "cycle_workflow_id_unique" unique ("workflow_id");`);
    this.addSql(
      `alter table "cycle" add constraint "cycle_campaign_id_period_unique" unique ("campaign_id", "period");`,
    );
    this.addSql(
      `alter table "cycle" add constraint "cycle_stage_check" check ("stage" in ('collecting', 'consolidating', 'review', 'revision', 'publishing', 'closed', 'cancelled'));`,
    );

    this.addSql(
      `create table "consolidated_report" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "cycle_id" int not null, "version" int not null, "content" jsonb not null);`,
    );
    this.addSql(
      `alter table "consolidated_report" add constraint "consolidated_report_cycle_id_version_unique" unique ("cycle_id", "version");`,
    );

    this.addSql(
      `create table "unit" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "code" varchar(64) not null, "name" varchar(300) not null, "head_name" varchar(200) not null, "head_email" varchar(320) not null, "supervisor_name" varchar(200) null, "supervisor_email" varchar(320) null, "active" boolean not null default true, "parent_id" int null);`,
    );
    this.addSql(`alter table "unit" add constraint "unit_code_unique" unique ("code");`);

    this.addSql(
      `create table "unit_task" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "cycle_id" int not null, "unit_id" int not null, "workflow_id" varchar(250) not null, "state" text not null, "schedule" jsonb not null, "token_hash" varchar(64) null, "token_version" int not null default 0, "dispatched_at" timestamptz null, "submitted_at" timestamptz null, "late" boolean null, "reminders_sent" int not null default 0, "escalation_level" int not null default 0, "draft" jsonb null, "draft_saved_at" timestamptz null);`,
    );
    this.addSql(`alter table "unit_task" add constraint "unit_task_workflow_id_unique" unique ("workflow_id");`);
    this.addSql(`alter table "unit_task" add constraint "unit_task_token_hash_unique" unique ("token_hash");`);
    this.addSql(
      `alter table "unit_task" add constraint "unit_task_cycle_id_unit_id_unique" unique ("cycle_id", "unit_id");`,
    );
    this.addSql(
      `alter table "unit_task" add constraint "unit_task_state_check" check ("state" in ('pending', 'dispatched', 'draft', 'submitted', 'overdue', 'escalated', 'not_submitted', 'revision_requested', 'resubmitted', 'accepted'));`,
    );

    this.addSql(
      `create table "submission" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "task_id" int not null, "version" int not null, "answers" jsonb not null, "submitted_at" timestamptz not null, "late" boolean not null, "receipt_number" varchar(64) not null);`,
    );
    this.addSql(
      `alter table "submission" add constraint "submission_receipt_number_unique" unique ("receipt_number");`,
    );
    this.addSql(
      `alter table "submission" add constraint "submission_task_id_version_unique" unique ("task_id", "version");`,
    );

    this.addSql(
      `alter table "campaign" add constraint "campaign_policy_id_foreign" foreign key ("policy_id") references "cycle_policy" ("id");`,
    );

    this.addSql(
      `alter table "cycle" add constraint "cycle_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id");`,
    );
    this.addSql(
      `alter table "cycle" add constraint "cycle_template_id_foreign" foreign key ("template_id") references "report_template" ("id");`,
    );

    this.addSql(
      `alter table "consolidated_report" add constraint "consolidated_report_cycle_id_foreign" foreign key ("cycle_id") references "cycle" ("id");`,
    );

    this.addSql(
      `alter table "unit" add constraint "unit_parent_id_foreign" foreign key ("parent_id") references "unit" ("id") on delete set null;`,
    );

    this.addSql(
      `alter table "unit_task" add constraint "unit_task_cycle_id_foreign" foreign key ("cycle_id") references "cycle" ("id");`,
    );
    this.addSql(
      `alter table "unit_task" add constraint "unit_task_unit_id_foreign" foreign key ("unit_id") references "unit" ("id");`,
    );

    this.addSql(
      `alter table "submission" add constraint "submission_task_id_foreign" foreign key ("task_id") references "unit_task" ("id");`,
    );
  }
}
