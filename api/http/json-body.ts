/**
 * JSON bodies as objects without a prototype: Fastify's parser (secure-json-parse, which refuses
 * a `__proto__` or `constructor.prototype` key with a 400), then every object of the result made
 * prototype-less, so no key, however named, can reach `Object.prototype` or be read from it
 * later. Arrays keep theirs (an index cannot pollute).
 */
import type { FastifyInstance } from 'fastify';

export function withoutPrototypes<T>(value: T): T {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const v = pending.pop();
    if (v === null || typeof v !== 'object') continue;
    if (!Array.isArray(v)) Object.setPrototypeOf(v, null);
    for (const child of Object.values(v as object))
      if (child !== null && typeof child === 'object') pending.push(child);
  }
  return value;
}

export function registerJsonBodyParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    void parse(request, body as string, (error: Error | null, value?: unknown) =>
      error ? done(error, undefined) : done(null, withoutPrototypes(value)),
    );
  });
}
