/**
 * Signing in to the console by an emailed one-time link. Asking for a link answers the same
 * whatever the email (no account enumeration); a known, active person with a role gets a link by
 * the outbox, the same mail path as unit heads' links. A link is bound to its person, works once
 * (consumed by one atomic update) and only for SIGN_IN_LINK_MINUTES. Every request, sign-in and
 * failure is on the audit record.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { sha256, signInToken } from '../../auth/tokens';
import { appendAudit, type Actor } from '../../db/audit';
import { Person, SignInLink } from '../../db/entities';
import type { Locale } from '../../domain/template';
import { enqueueEmail, signInLink } from '../../mail/outbox';
import { auditSignInFailure, openSession, type ConsoleUser } from '../console/session';
import { normalEmail, rolesOf, scopesOf } from './people.service';

/** How long an emailed sign-in link works. */
export const SIGN_IN_LINK_MINUTES = 15;

/** Links one person may be sent per SIGN_IN_LINK_MINUTES: more requests are answered alike but send nothing. */
export const SIGN_IN_LINKS_PER_WINDOW = 3;

/** A sign-in link's token: 43 base64url characters; anything else is not looked up. */
export const SIGN_IN_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Creates a one-time link row for a person (in the caller's transaction); answers its id and expiry. */
async function newLink(
  em: EntityManager,
  secret: string,
  personId: number,
  now: Date,
  minutes: number,
): Promise<{ id: number; expiresAt: Date }> {
  const expiresAt = new Date(now.getTime() + minutes * 60_000);
  const row = em.create(SignInLink, { person: personId, expiresAt });
  await em.flush();
  row.tokenHash = sha256(signInToken(secret, row.id));
  await em.flush();
  return { id: row.id, expiresAt };
}

/**
 * Someone asked for a sign-in link for `email`. When it is an active person's who holds a role, a
 * link is created and its email put in the outbox (answers the outbox key, to deliver); otherwise
 * nothing is sent (answers null). Both are on the record; the caller answers both alike.
 */
export async function requestSignInLink(
  em: EntityManager,
  { email, origin, now, secret, locale }: { email: string; origin: string; now: Date; secret: string; locale: Locale },
): Promise<string | null> {
  const address = normalEmail(email).slice(0, 320);
  const person = address ? await em.findOne(Person, { email: address, status: 'active' }) : null;
  if (!person || !(await rolesOf(em, person.id)).length) {
    await auditSignInFailure(em, 'email', origin, 'sign-in link asked for an unknown or disabled email', now, address);
    return null;
  }
  const recent = await em.count(SignInLink, {
    person: person.id,
    createdAt: { $gt: new Date(now.getTime() - SIGN_IN_LINK_MINUTES * 60_000) },
  });
  if (recent >= SIGN_IN_LINKS_PER_WINDOW) {
    await auditSignInFailure(
      em,
      'email',
      origin,
      'too many sign-in links asked for this person',
      now,
      String(person.id),
    );
    return null;
  }
  return em.transactional(async (tx) => {
    const link = await newLink(tx, secret, person.id, now, SIGN_IN_LINK_MINUTES);
    const key = `sign-in:${link.id}`;
    const auditEventId = await appendAudit(tx, {
      actor: { kind: 'user', id: person.name, origin },
      action: 'session.link_requested',
      subjectType: 'person',
      subjectId: String(person.id),
      after: { signInId: link.id, expiresAt: link.expiresAt.toISOString() },
      occurredAt: now,
    });
    await enqueueEmail(tx, {
      key,
      kind: 'sign_in',
      recipient: person.email,
      locale,
      auditEventId,
      params: { personName: person.name, signInId: link.id, expiresAt: link.expiresAt.toISOString() },
    });
    return key;
  });
}

/**
 * A one-time sign-in link for a person, made without email (what `npm start` prints for the
 * first administrator). On the record.
 */
export async function issueSignInLink(
  em: EntityManager,
  actor: Actor,
  {
    personId,
    secret,
    publicUrl,
    now,
    minutes,
  }: {
    personId: number;
    secret: string;
    publicUrl: string;
    now: Date;
    minutes: number;
  },
): Promise<string> {
  return em.transactional(async (tx) => {
    const link = await newLink(tx, secret, personId, now, minutes);
    await appendAudit(tx, {
      actor,
      action: 'session.link_issued',
      subjectType: 'person',
      subjectId: String(personId),
      after: { signInId: link.id, expiresAt: link.expiresAt.toISOString() },
      occurredAt: now,
    });
    return signInLink(publicUrl, secret, link.id);
  });
}

/**
 * Consumes a sign-in link and opens a session for its person in their first role (administrator,
 * council member, auditor, in that order); null (and a failure on the record) when the link is
 * unknown, used, expired, or its person is disabled or holds no role.
 */
export async function consumeSignInLink(
  em: EntityManager,
  token: string,
  origin: string,
  now: Date,
): Promise<{ cookie: string; user: ConsoleUser } | null> {
  const refuse = async (reason: string) => {
    await auditSignInFailure(em, 'email', origin, reason, now);
    return null;
  };
  if (!SIGN_IN_TOKEN_PATTERN.test(token)) return refuse('malformed sign-in link');
  const used = await em.execute<{ id: number; person_id: number }[]>(
    `UPDATE sign_in_link SET used_at = ?, updated_at = now()
     WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING id, person_id`,
    [now, sha256(token), now],
  );
  const row = used[0];
  if (!row) return refuse('sign-in link unknown, used or expired');
  const person = await em.findOne(Person, { id: row.person_id, status: 'active' });
  const role = person ? (await rolesOf(em, person.id))[0] : undefined;
  if (!person || !role) return refuse(`sign-in link ${row.id} of a disabled person or one without a role`);
  return openSession(em, { person, role, scopes: await scopesOf(em, person.id, role), method: 'email' }, origin, now);
}
