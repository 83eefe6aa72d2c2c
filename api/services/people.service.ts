/**
 * People: who they are (name, email, status), the roles they hold over which scope, and their
 * seats on campaigns' councils. Every change is on the audit record with before and after.
 * Disabling a person ends their console sessions and revokes their API tokens in the same
 * transaction; sign-in and every request check the person's status too, so nothing they hold
 * works on the next request.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { appendAudit, type Actor } from '../../db/audit';
import { ApiToken, Campaign, ConsoleSession, CouncilMember, Person, RoleAssignment, Unit } from '../../db/entities';
import type { Role } from '../../db/entities/api-token.entity';
import {
  type CouncilPosition,
  type IPerson,
  type IRoleAssignment,
  type PersonStatus,
  type ScopeKind,
} from '../../db/entities/person.entity';
import { NotFoundError, ValidationError } from '../../domain/errors';
import { EMAIL_PATTERN, requireText, uniquely } from './admin-common';

/** What a role covers: the whole installation, one campaign, or a unit and its descendants. */
export type Scope =
  | { readonly kind: 'installation' }
  | { readonly kind: 'campaign'; readonly campaignId: number }
  | { readonly kind: 'unit'; readonly unitId: number };

export interface AssignmentView {
  readonly id: number;
  readonly role: Role;
  readonly scope: ScopeKind;
  /** The campaign's or the unit's code for scoped roles. */
  readonly target: string | null;
}

export interface PersonView {
  readonly id: number;
  readonly name: string;
  readonly email: string;
  readonly status: PersonStatus;
  readonly roles: readonly AssignmentView[];
}

export interface CouncilSeatView {
  readonly campaign: string;
  readonly campaignName: string;
  readonly personId: number;
  readonly name: string;
  readonly position: CouncilPosition;
}

/** Emails compare case-insensitively: stored trimmed and lower-cased. */
export const normalEmail = (email: string): string => email.normalize('NFC').trim().toLowerCase();

function checkedEmail(raw: string): string {
  const email = normalEmail(raw);
  if (email.length > 320 || !EMAIL_PATTERN.test(email))
    throw new ValidationError(
      { code: 'field_invalid', params: { field: 'email', problem: 'must be an email address' } },
      'email',
    );
  return email;
}

const assignmentView = (a: IRoleAssignment): AssignmentView => ({
  id: a.id,
  role: a.role,
  scope: a.scopeKind,
  target:
    a.scopeKind === 'campaign' ? (a.campaign?.code ?? null) : a.scopeKind === 'unit' ? (a.unit?.code ?? null) : null,
});

export const scopeOf = (a: IRoleAssignment): Scope =>
  a.scopeKind === 'campaign'
    ? { kind: 'campaign', campaignId: a.campaign!.id }
    : a.scopeKind === 'unit'
      ? { kind: 'unit', unitId: a.unit!.id }
      : { kind: 'installation' };

/** Everyone, by name, with their roles. */
export async function listPeople(em: EntityManager): Promise<PersonView[]> {
  const people = await em.find(Person, {}, { orderBy: { name: 'asc', id: 'asc' } });
  const assignments = await em.find(RoleAssignment, {}, { populate: ['campaign', 'unit'], orderBy: { id: 'asc' } });
  return people.map((p) => ({
    id: p.id,
    name: p.name,
    email: p.email,
    status: p.status,
    roles: assignments.filter((a) => a.person.id === p.id).map(assignmentView),
  }));
}

export async function findPerson(em: EntityManager, id: number): Promise<IPerson> {
  const person = await em.findOne(Person, id);
  if (!person) throw new NotFoundError({ code: 'person_unknown', params: { id } }, 'person');
  return person;
}

/** The person of an email (any case), if there is one. */
export const personByEmail = (em: EntityManager, email: string): Promise<IPerson | null> =>
  em.findOne(Person, { email: normalEmail(email) });

/** A person's name and email as stored, or a 400 naming the field at fault. */
const checkedPerson = (input: { name: string; email: string }) => ({
  name: requireText('name', input.name, { max: 200, formula: true }),
  email: checkedEmail(input.email),
});

/** Adds a person (active); a taken email (in any case) is a 409 naming `email`. */
export async function createPerson(
  em: EntityManager,
  actor: Actor,
  input: { name: string; email: string },
  now: Date,
): Promise<IPerson> {
  const { name, email } = checkedPerson(input);
  return uniquely('email', { code: 'email_taken', params: { email } }, () =>
    em.transactional(async (tx) => {
      const person = tx.create(Person, { name, email, status: 'active' });
      await tx.flush();
      await appendAudit(tx, {
        actor,
        action: 'person.created',
        subjectType: 'person',
        subjectId: String(person.id),
        after: { name, email, status: 'active' },
        occurredAt: now,
      });
      return person;
    }),
  );
}

/**
 * The person of `email`, created (with `name`) when there is none, holding `role` over the whole
 * installation (given to them when they did not hold it). For `npm run token:create` and the
 * first administrator of `npm start`.
 */
export async function ensurePersonWithRole(
  em: EntityManager,
  actor: Actor,
  { name, email, role }: { name: string; email: string; role: Role },
  now: Date,
): Promise<IPerson> {
  const person = (await personByEmail(em, email)) ?? (await createPerson(em.fork(), actor, { name, email }, now));
  const held = await em.count(RoleAssignment, { person: person.id, role, scopeKind: 'installation' });
  if (!held) await assignRole(em.fork(), actor, person.id, { role, scope: 'installation' }, now);
  return em.findOneOrFail(Person, person.id);
}

/**
 * The first administrator: the earliest active person holding the administrator role over the
 * whole installation, or (when there is none) the person of `email`, created and given that role.
 */
export async function ensureFirstAdministrator(
  em: EntityManager,
  actor: Actor,
  input: { name: string; email: string },
  now: Date,
): Promise<IPerson> {
  const existing = await em.findOne(
    RoleAssignment,
    { role: 'admin', scopeKind: 'installation', person: { status: 'active' } },
    { populate: ['person'], orderBy: { id: 'asc' } },
  );
  if (existing) return existing.person;
  return ensurePersonWithRole(em, actor, { ...input, role: 'admin' }, now);
}

/** Renames a person or changes their email. */
export async function updatePerson(
  em: EntityManager,
  actor: Actor,
  id: number,
  input: { name: string; email: string },
  now: Date,
): Promise<IPerson> {
  const { name, email } = checkedPerson(input);
  return uniquely('email', { code: 'email_taken', params: { email } }, () =>
    em.transactional(async (tx) => {
      const person = await findPerson(tx, id);
      const before = { name: person.name, email: person.email };
      person.name = name;
      person.email = email;
      await tx.flush();
      await appendAudit(tx, {
        actor,
        action: 'person.updated',
        subjectType: 'person',
        subjectId: String(id),
        before,
        after: { name, email },
        occurredAt: now,
      });
      return person;
    }),
  );
}

/**
 * Disables a person (their open sessions end and their tokens are revoked at once, on the record)
 * or enables them again (revoked tokens stay revoked).
 */
export async function setPersonStatus(
  em: EntityManager,
  actor: Actor,
  id: number,
  status: PersonStatus,
  reason: string,
  now: Date,
): Promise<IPerson> {
  return em.transactional(async (tx) => {
    const person = await findPerson(tx, id);
    if (person.status === status) return person;
    const before = { status: person.status };
    person.status = status;
    let sessionsEnded: number[] = [];
    let tokensRevoked: number[] = [];
    if (status === 'disabled') {
      const sessions = await tx.find(ConsoleSession, { person: id, endedAt: null });
      for (const s of sessions) {
        s.endedAt = now;
        s.endReason = 'person disabled';
      }
      const tokens = await tx.find(ApiToken, { person: id, revokedAt: null });
      for (const t of tokens) t.revokedAt = now;
      sessionsEnded = sessions.map((s) => s.id);
      tokensRevoked = tokens.map((t) => t.id);
    }
    await tx.flush();
    await appendAudit(tx, {
      actor,
      action: status === 'disabled' ? 'person.disabled' : 'person.enabled',
      subjectType: 'person',
      subjectId: String(id),
      before,
      after: { status, reason, sessionsEnded, tokensRevoked },
      occurredAt: now,
    });
    return person;
  });
}

/** Gives a person a role over a scope (a campaign's or a unit's code for scoped roles); holding it already changes nothing. */
export async function assignRole(
  em: EntityManager,
  actor: Actor,
  personId: number,
  input: { role: Role; scope: ScopeKind; target?: string },
  now: Date,
): Promise<AssignmentView> {
  return em.transactional(async (tx) => {
    const person = await findPerson(tx, personId);
    let campaign = null;
    let unit = null;
    if (input.scope === 'campaign') {
      campaign = await tx.findOne(Campaign, { code: input.target ?? '' });
      if (!campaign)
        throw new NotFoundError({ code: 'campaign_unknown', params: { campaign: input.target ?? '' } }, 'target');
    } else if (input.scope === 'unit') {
      unit = await tx.findOne(Unit, { code: input.target ?? '' });
      if (!unit) throw new NotFoundError({ code: 'unit_unknown', params: { unit: input.target ?? '' } }, 'target');
    }
    const existing = await tx.findOne(
      RoleAssignment,
      { person, role: input.role, scopeKind: input.scope, campaign, unit },
      { populate: ['campaign', 'unit'] },
    );
    if (existing) return assignmentView(existing);
    const row = tx.create(RoleAssignment, { person, role: input.role, scopeKind: input.scope, campaign, unit });
    await tx.flush();
    const view = assignmentView(row);
    await appendAudit(tx, {
      actor,
      action: 'role.assigned',
      subjectType: 'person',
      subjectId: String(personId),
      after: { assignmentId: row.id, role: view.role, scope: view.scope, target: view.target },
      occurredAt: now,
    });
    return view;
  });
}

/**
 * Takes a role assignment away. Sessions and tokens acting in a role the person no longer holds
 * stop working on their next request (they are checked against the assignments every time).
 */
export async function removeRole(
  em: EntityManager,
  actor: Actor,
  personId: number,
  assignmentId: number,
  now: Date,
): Promise<void> {
  await em.transactional(async (tx) => {
    const row = await tx.findOne(
      RoleAssignment,
      { id: assignmentId, person: personId },
      { populate: ['campaign', 'unit'] },
    );
    if (!row) throw new NotFoundError({ code: 'record_missing', params: { what: 'role', id: assignmentId } }, 'id');
    const view = assignmentView(row);
    tx.remove(row);
    await tx.flush();
    await appendAudit(tx, {
      actor,
      action: 'role.removed',
      subjectType: 'person',
      subjectId: String(personId),
      before: { assignmentId, role: view.role, scope: view.scope, target: view.target },
      occurredAt: now,
    });
  });
}

/** The scopes over which an active person holds `role` (none: they do not hold it). */
export async function scopesOf(em: EntityManager, personId: number, role: Role): Promise<Scope[]> {
  const rows = await em.find(RoleAssignment, { person: personId, role }, { orderBy: { id: 'asc' } });
  return rows.map(scopeOf);
}

/** The roles a person holds (any scope), in the order the console prefers: admin, council, auditor. */
export async function rolesOf(em: EntityManager, personId: number): Promise<Role[]> {
  const held = new Set((await em.find(RoleAssignment, { person: personId })).map((a) => a.role));
  return (['admin', 'council', 'auditor'] as const).filter((r) => held.has(r));
}

/** Every council seat, by campaign then name. */
export async function listCouncilSeats(em: EntityManager): Promise<CouncilSeatView[]> {
  const seats = await em.find(CouncilMember, {}, { populate: ['campaign', 'person'] });
  return seats
    .map((s) => ({
      campaign: s.campaign.code,
      campaignName: s.campaign.name,
      personId: s.person.id,
      name: s.person.name,
      position: s.position,
    }))
    .sort((a, b) => a.campaign.localeCompare(b.campaign) || a.name.localeCompare(b.name, 'vi'));
}

/** Seats a person on a campaign's council, or changes their position there. */
export async function setCouncilSeat(
  em: EntityManager,
  actor: Actor,
  input: { campaign: string; personId: number; position: CouncilPosition },
  now: Date,
): Promise<void> {
  await em.transactional(async (tx) => {
    const campaign = await tx.findOne(Campaign, { code: input.campaign });
    if (!campaign)
      throw new NotFoundError({ code: 'campaign_unknown', params: { campaign: input.campaign } }, 'campaign');
    const person = await findPerson(tx, input.personId);
    const seat = await tx.findOne(CouncilMember, { campaign, person });
    const before = seat ? { position: seat.position } : null;
    if (seat) seat.position = input.position;
    else tx.create(CouncilMember, { campaign, person, position: input.position });
    await tx.flush();
    await appendAudit(tx, {
      actor,
      action: 'council.seat_set',
      subjectType: 'campaign',
      subjectId: campaign.code,
      before,
      after: { personId: person.id, name: person.name, position: input.position },
      occurredAt: now,
    });
  });
}

/** Takes a person's seat on a campaign's council away (votes already open keep their recorded council). */
export async function removeCouncilSeat(
  em: EntityManager,
  actor: Actor,
  input: { campaign: string; personId: number },
  now: Date,
): Promise<void> {
  await em.transactional(async (tx) => {
    const seat = await tx.findOne(
      CouncilMember,
      { campaign: { code: input.campaign }, person: input.personId },
      { populate: ['campaign'] },
    );
    if (!seat)
      throw new NotFoundError(
        { code: 'record_missing', params: { what: 'council seat', id: input.personId } },
        'personId',
      );
    const before = { personId: input.personId, position: seat.position };
    tx.remove(seat);
    await tx.flush();
    await appendAudit(tx, {
      actor,
      action: 'council.seat_removed',
      subjectType: 'campaign',
      subjectId: input.campaign,
      before,
      occurredAt: now,
    });
  });
}
