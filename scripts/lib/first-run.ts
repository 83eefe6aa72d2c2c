/**
 * What `npm start` and `npm run start:cluster` do to the database before starting the product:
 * reference data, the demo (into an empty database), the first administrator (created when there
 * is none), a short-lived admin token for this machine and, when asked, a one-time sign-in link.
 */
import { replaceShortLivedToken } from '../../api/services/access.service';
import { ensureFirstAdministrator } from '../../api/services/people.service';
import { issueSignInLink } from '../../api/services/sign-in.service';
import type { Config } from '../../config/config';
import { openDatabase } from '../../db/orm';
import { seedDemo, seedReferenceData } from '../../db/seed';

export interface FirstRun {
  /** The demo campaigns were added (the database was empty). */
  readonly seeded: boolean;
  readonly adminToken: string;
  readonly signInUrl: string | null;
  readonly firstAdmin: { readonly name: string; readonly email: string };
}

export async function prepareDatabase(
  config: Config,
  who: string,
  { tokenHours, signInMinutes }: { tokenHours: number; signInMinutes?: number },
): Promise<FirstRun> {
  const orm = await openDatabase(config.DATABASE_URL);
  try {
    const em = orm.em.fork();
    await seedReferenceData(em);
    const seeded = await seedDemo(em);
    const actor = { kind: 'system' as const, id: who, origin: who };
    const firstAdmin = await ensureFirstAdministrator(
      em.fork(),
      actor,
      { name: 'Quản trị viên', email: process.env.BAOCAO_ADMIN_EMAIL ?? 'quantri@baocao.local' },
      new Date(),
    );
    const signInUrl =
      signInMinutes === undefined
        ? null
        : await issueSignInLink(em.fork(), actor, {
            personId: firstAdmin.id,
            secret: config.LINK_SECRET,
            publicUrl: config.PUBLIC_URL,
            now: new Date(),
            minutes: signInMinutes,
          });
    const adminToken = await replaceShortLivedToken(em, {
      personId: firstAdmin.id,
      name: `${who} (this machine)`,
      role: 'admin',
      hours: tokenHours,
      actor: who,
    });
    return { seeded, adminToken, signInUrl, firstAdmin: { name: firstAdmin.name, email: firstAdmin.email } };
  } finally {
    await orm.close();
  }
}
