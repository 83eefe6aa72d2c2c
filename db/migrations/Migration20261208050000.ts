import { Migration } from '@mikro-orm/migrations';

/** The secretariat's notice that a periodic summary was frozen. */
export class Migration20261208050000 extends Migration {
  override name = 'Migration20261208050000';

  override up(): void | Promise<void> {
    this.addSql(`alter table "email" drop constraint "email_kind_check";`);
    this.addSql(
      `alter table "email" add constraint "email_kind_check" check ("kind" in ('dispatch', 'reminder', 'escalation_supervisor', 'escalation_secretariat', 'revision', 'publication', 'link_resent', 'review_expired', 'sign_in', 'summary_frozen'));`,
    );
  }
}
