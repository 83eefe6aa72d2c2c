/**
 * Scopes on every route, read from the route's own path so that a new route cannot escape: a
 * path naming a cycle (`:campaign` and `:period`) is scoped to that cycle, a unit's path
 * (`…/units/:code`) to that unit, any other path naming a campaign (`:campaign`: its summaries)
 * to that campaign; a list that declares `config.listInScope` is open to every
 * scope, its service showing only what is within the caller's (`api/services/scope.service.ts`);
 * every other route is for roles held over the whole installation. A caller whose role is scoped
 * elsewhere gets 403.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FastifyRequest } from 'fastify';
import type { Scope } from '../services/people.service';
import { reachesEverything, withinScope, type ScopeTarget } from '../services/scope.service';
import { AuthError } from './errors';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * A list (JSON or page) whose service filters it to the caller's scopes: admitted for every
     * scope, showing only what is within it.
     */
    listInScope?: boolean;
  }
}

/** What a route's path is scoped to, with the request's parameters. */
export function scopeTargetOf(url: string, params: Record<string, unknown>): ScopeTarget {
  if (
    /\/:campaign\/:period(\/|$)/.test(url) &&
    typeof params.campaign === 'string' &&
    typeof params.period === 'string'
  )
    return { kind: 'cycle', campaign: params.campaign, period: params.period };
  if (/\/units\/:code$/.test(url) && typeof params.code === 'string') return { kind: 'unit', unit: params.code };
  if (/\/:campaign(\/|$)/.test(url) && typeof params.campaign === 'string')
    return { kind: 'campaign', campaign: params.campaign };
  return { kind: 'installation' };
}

/** Throws 403 when the route's resource is outside `scopes`. */
export async function enforceScope(
  em: EntityManager,
  request: FastifyRequest,
  scopes: readonly Scope[],
): Promise<void> {
  if (reachesEverything(scopes) || request.routeOptions.config.listInScope) return;
  const url = request.routeOptions.url ?? '';
  const target = scopeTargetOf(url, (request.params ?? {}) as Record<string, unknown>);
  if (!(await withinScope(em, scopes, target)))
    throw new AuthError(
      {
        code: 'scope_forbidden',
        params: {
          what:
            target.kind === 'cycle'
              ? `cycle ${target.campaign}/${target.period}`
              : target.kind === 'campaign'
                ? `campaign ${target.campaign}`
                : target.kind === 'unit'
                  ? `unit ${target.unit}`
                  : url,
        },
      },
      403,
    );
}
