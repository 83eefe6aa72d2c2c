/** A console session opened through the sign-in form, as a browser would, for tests over plain HTTP. */

export interface ConsoleSessionCookie {
  /** `bc_session=…`, ready for a `cookie` header. */
  readonly cookie: string;
  /** The CSRF token the session's forms carry. */
  readonly csrf: string;
}

const cookiesOf = (res: Response): string =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');

export async function signInConsole(baseUrl: string, token: string): Promise<ConsoleSessionCookie> {
  const form = await fetch(`${baseUrl}/console/sign-in`);
  const signInCsrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const signedIn = await fetch(`${baseUrl}/console/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: cookiesOf(form), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, _csrf: signInCsrf, next: '/console' }).toString(),
  });
  const session = signedIn.headers.getSetCookie().find((c) => c.startsWith('bc_session='));
  if (signedIn.status !== 303 || !session) throw new Error(`sign-in answered ${signedIn.status}`);
  const cookie = session.split(';')[0]!;
  const page = await (await fetch(`${baseUrl}/console/sign-in`, { headers: { cookie } })).text();
  return {
    cookie,
    csrf: /action="\/console\/sign-out"><input type="hidden" name="_csrf" value="([^"]+)"/.exec(page)![1]!,
  };
}
