import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Role } from '../../../db/entities/api-token.entity';
import { authenticate } from '../../auth';
import { userActor, type AdminContext } from '../../services/admin-common';

/** Administrators, council members and auditors may read the reference data. */
export const READERS: readonly Role[] = ['admin', 'council', 'auditor'];
/** Only administrators change it. */
export const WRITERS: readonly Role[] = ['admin'];

/** Authenticates an administrator and answers the context of the write they ask for. */
export async function adminWrite(app: FastifyInstance, request: FastifyRequest): Promise<AdminContext> {
  const principal = await authenticate(request.em, request, WRITERS);
  return { em: request.em, actor: userActor(principal, request.ip), now: app.now() };
}

/** Authenticates a reader (administrator, council member, auditor). */
export async function reader(request: FastifyRequest): Promise<void> {
  await authenticate(request.em, request, READERS);
}
