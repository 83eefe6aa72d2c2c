import { Migration } from '@mikro-orm/migrations';

/**
 * A consolidated version is stored only as its basis (which submission of each task it counts):
 * the column that held a whole reading goes, and every version has a basis.
 */
export class Migration20261202100500 extends Migration {
  override name = 'Migration20261202100500';

  override up(): void | Promise<void> {
    this.addSql(`alter table "consolidated_report" drop column "content";`);
    this.addSql(`alter table "consolidated_report" alter column "basis" set not null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "consolidated_report" alter column "basis" drop not null;`);
    this.addSql(`alter table "consolidated_report" add "content" jsonb null;`);
  }
}
