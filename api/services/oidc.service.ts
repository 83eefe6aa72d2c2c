/**
 * Signing in to the console through an OpenID Connect identity provider (OIDC_ISSUER): the
 * authorization code flow with PKCE (S256), a random state and nonce, by `openid-client`. The
 * verified ID token's `email` (not marked unverified) names the person, who must be active and hold
 * a role. Every failure (a wrong state, a code used twice, an unknown email) is on the record.
 */
import * as client from 'openid-client';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../../config/config';
import { Person } from '../../db/entities';
import { auditSignInFailure, openSession, type ConsoleUser } from '../console/session';
import { normalEmail, rolesOf, scopesOf } from './people.service';

export const OIDC_CALLBACK_PATH = '/console/sign-in/oidc/callback';

/** What the browser keeps (in an HttpOnly cookie, under a MAC) between leaving and coming back. */
export interface OidcPending {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
  readonly next: string;
}

const loopback = (url: URL): boolean => ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);

/** The provider's configuration, discovered once (a failed discovery is tried again next time). */
export function oidcClient(config: Config): (() => Promise<client.Configuration>) | null {
  if (!config.OIDC_ISSUER) return null;
  let discovered: Promise<client.Configuration> | undefined;
  return () => {
    const issuer = new URL(config.OIDC_ISSUER);
    discovered ??= client
      .discovery(
        issuer,
        config.OIDC_CLIENT_ID,
        config.OIDC_CLIENT_SECRET || undefined,
        undefined,
        // Plain HTTP only for a provider on this machine (a test's, a developer's).
        issuer.protocol === 'http:' && loopback(issuer) ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        discovered = undefined;
        throw error;
      });
    return discovered;
  };
}

/** Where to send the browser, and what to keep until it comes back. */
export async function startOidcSignIn(
  configuration: client.Configuration,
  publicUrl: string,
  next: string,
): Promise<{ url: URL; pending: OidcPending }> {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(configuration, {
    redirect_uri: `${publicUrl}${OIDC_CALLBACK_PATH}`,
    scope: 'openid email profile',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { url, pending: { state, nonce, verifier, next } };
}

/**
 * Completes a sign-in at the callback: exchanges the code (checking state, nonce and PKCE) and
 * opens a session for the person of the ID token's email; null (on the record) on any failure.
 */
export async function finishOidcSignIn(
  em: EntityManager,
  configuration: client.Configuration,
  { callbackUrl, pending, origin, now }: { callbackUrl: URL; pending: OidcPending | null; origin: string; now: Date },
): Promise<{ cookie: string; user: ConsoleUser } | null> {
  const refuse = async (reason: string) => {
    await auditSignInFailure(em, 'oidc', origin, reason.slice(0, 300), now);
    return null;
  };
  if (!pending) return refuse('no sign-in under way in this browser');
  let claims: { readonly email?: unknown; readonly email_verified?: unknown };
  try {
    const tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
      pkceCodeVerifier: pending.verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const idToken = tokens.claims()!;
    // Providers put the email in the ID token or (as the specification prefers) only in UserInfo.
    claims =
      typeof idToken.email === 'string'
        ? { email: idToken.email, email_verified: idToken.email_verified }
        : { ...(await client.fetchUserInfo(configuration, tokens.access_token, idToken.sub)) };
  } catch (error) {
    return refuse(`identity provider answer refused: ${error instanceof Error ? error.message : String(error)}`);
  }
  const email = typeof claims.email === 'string' ? normalEmail(claims.email) : '';
  if (!email || claims.email_verified === false) return refuse('the identity provider gave no verified email');
  const person = await em.findOne(Person, { email, status: 'active' });
  const role = person ? (await rolesOf(em, person.id))[0] : undefined;
  if (!person || !role) return refuse(`no active person with a role has the email ${email}`);
  return openSession(em, { person, role, scopes: await scopesOf(em, person.id, role), method: 'oidc' }, origin, now);
}
