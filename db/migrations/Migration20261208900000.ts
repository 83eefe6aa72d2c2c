import { Migration } from '@mikro-orm/migrations';

/** Every kind of email at once (registration, summaries and title votes each added theirs). */
export class Migration20261208900000 extends Migration {
  override name = 'Migration20261208900000';

  override up(): void | Promise<void> {
    this.addSql(`alter table "email" drop constraint "email_kind_check";`);
    this.addSql(
      `alter table "email" add constraint "email_kind_check" check ("kind" in ('dispatch', 'reminder', 'escalation_supervisor', 'escalation_secretariat', 'revision', 'publication', 'link_resent', 'review_expired', 'sign_in', 'summary_frozen', 'registration_dispatch', 'registration_reminder', 'title_vote_opened', 'title_vote_reminder'));`,
    );
  }
}
