import type { EntityManager } from '@mikro-orm/postgresql';
import type { FastifyRequest } from 'fastify';
import { sha256 } from '../../auth/tokens';
import { ApiToken, type Role } from '../../db/entities/api-token.entity';
import { scopesOf, type Scope } from '../services/people.service';
import { AuthError } from './errors';

/** Who is calling: a person, acting in one role over the scopes they hold it for. */
export interface Principal {
  /** The API token used, when the caller came with one (a console session may have none). */
  readonly tokenId: number | null;
  readonly personId: number;
  /** The person's name: what the audit record calls them. */
  readonly name: string;
  readonly role: Role;
  readonly scopes: readonly Scope[];
}

/**
 * A token that works now: known, not revoked, not expired, its person active and still holding
 * the token's role (answered with those scopes).
 */
export async function usableToken(em: EntityManager, tokenHash: string, now: Date) {
  const token = await em.findOne(
    ApiToken,
    { tokenHash, revokedAt: null, expiresAt: { $gt: now }, person: { status: 'active' } },
    { populate: ['person'] },
  );
  if (!token) return null;
  const scopes = await scopesOf(em, token.person.id, token.role);
  return scopes.length ? { token, scopes } : null;
}

/** Checks the request's bearer token and that its role is one of `roles`. */
export async function authenticate(
  em: EntityManager,
  request: FastifyRequest,
  roles: readonly Role[],
  now: Date,
): Promise<Principal> {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new AuthError({ code: 'token_missing', params: {} }, 401);
  const found = await usableToken(em, sha256(match[1]!), now);
  if (!found) throw new AuthError({ code: 'token_invalid', params: {} }, 401);
  const { token, scopes } = found;
  if (!roles.includes(token.role))
    throw new AuthError({ code: 'role_forbidden', params: { role: token.role, roles } }, 403);
  return { tokenId: token.id, personId: token.person.id, name: token.person.name, role: token.role, scopes };
}

/**
 * Stores a person's API token (shown once to its holder; only its hash is stored); answers its
 * id. The caller checks that the person holds `role` and audits the creation.
 */
export async function createApiToken(
  em: EntityManager,
  { personId, name, role, expiresAt }: { personId: number; name: string; role: Role; expiresAt?: Date },
  token: string,
): Promise<number> {
  const row = em.create(ApiToken, {
    person: personId,
    name,
    role,
    tokenHash: sha256(token),
    expiresAt: expiresAt ?? new Date(Date.now() + 90 * 86_400_000),
  });
  await em.flush();
  return row.id;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Roles allowed on a route authenticated by a personal API token (checked before validation). */
    roles?: readonly Role[];
  }
  interface FastifyRequest {
    /** Who is calling, set for routes that declare `config.roles`. */
    principal?: Principal;
  }
}

/** The authenticated caller of a route that declares `config.roles`. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal)
    throw new Error(`route ${request.routeOptions.url} reads a principal but declares no config.roles`);
  return request.principal;
}
