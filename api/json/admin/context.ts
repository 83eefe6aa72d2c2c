import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Role } from '../../../db/entities/api-token.entity';
import { principalOf } from '../../http/auth';
import { userActor, type AdminContext } from '../../services/admin-common';

/** Administrators, council members and auditors may read the reference data. */
export const READERS: readonly Role[] = ['admin', 'council', 'auditor'];
/** Only administrators change it. */
export const WRITERS: readonly Role[] = ['admin'];

/** The context of an administrator's write (the route declares `config: { roles: WRITERS }`). */
export function adminWrite(app: FastifyInstance, request: FastifyRequest): AdminContext {
  const principal = principalOf(request);
  return { em: request.em, actor: userActor(principal, request.ip), now: app.now(), scopes: principal.scopes };
}
