/** The little of `oidc-provider` (which ships no types) that test/oidc.test.ts uses. */
declare module 'oidc-provider' {
  import type { Server } from 'node:http';

  interface Account {
    accountId: string;
    claims: () => Record<string, unknown> | Promise<Record<string, unknown>>;
  }

  export default class Provider {
    constructor(
      issuer: string,
      configuration: {
        clients?: Record<string, unknown>[];
        pkce?: { required?: () => boolean };
        claims?: Record<string, string[]>;
        findAccount?: (ctx: unknown, sub: string) => Account | Promise<Account | undefined> | undefined;
        features?: Record<string, unknown>;
        cookies?: { keys?: string[] };
      },
    );
    listen(port: number): Server;
  }
}
