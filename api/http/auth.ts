import type { EntityManager } from '@mikro-orm/postgresql';
import type { FastifyRequest } from 'fastify';
import { sha256 } from '../../auth/tokens';
import { ApiToken, type Role } from '../../db/entities/api-token.entity';
import { AuthError } from './errors';

export interface Principal {
  readonly tokenId: number;
  readonly name: string;
  readonly role: Role;
}

/** A token that works now: known, not revoked, not expired. */
export const usableToken = (em: EntityManager, tokenHash: string, now: Date) =>
  em.findOne(ApiToken, { tokenHash, revokedAt: null, expiresAt: { $gt: now } });

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
  const token = await usableToken(em, sha256(match[1]!), now);
  if (!token) throw new AuthError({ code: 'token_invalid', params: {} }, 401);
  if (!roles.includes(token.role))
    throw new AuthError({ code: 'role_forbidden', params: { role: token.role, roles } }, 403);
  return { tokenId: token.id, name: token.name, role: token.role };
}

/** How long a personal API token works unless its holder asks for another span. */
export const TOKEN_DAYS = 90;

/** Stores a personal API token (shown once to its holder; only its hash is stored); answers its id. */
export async function createApiToken(
  em: EntityManager,
  { name, role, email, expiresAt }: { name: string; role: Role; email?: string; expiresAt?: Date },
  token: string,
): Promise<number> {
  const row = em.create(ApiToken, {
    name,
    role,
    email: email ?? null,
    tokenHash: sha256(token),
    expiresAt: expiresAt ?? new Date(Date.now() + TOKEN_DAYS * 86_400_000),
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
