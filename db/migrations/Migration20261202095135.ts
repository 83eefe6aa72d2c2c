import { Migration } from '@mikro-orm/migrations';

/** Campaigns keep the settings of the documents they issue (issuing body, signer, place, numbering, recipients). */
export class Migration20261202095135 extends Migration {
  override name = 'Migration20261202095135';

  override up(): void | Promise<void> {
    this.addSql(`alter table "campaign" add "document_settings" jsonb null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "campaign" drop column "document_settings";`);
  }
}
