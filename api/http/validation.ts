/**
 * Request validation. Bodies are JSON and must already have the right types: a number sent as
 * text, or text sent as a number, is refused (400 naming the field), never coerced. Path and
 * query parts arrive as text, so there numbers and booleans are converted. Unknown properties
 * are refused, never silently dropped.
 */
import Ajv, { type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

const common: Options = { removeAdditional: false, useDefaults: true, allErrors: false, strict: false };

function ajv(coerceTypes: Options['coerceTypes']): Ajv {
  const instance = new Ajv({ ...common, coerceTypes });
  addFormats(instance);
  return instance;
}

export function registerValidation(app: FastifyInstance): void {
  const body = ajv(false);
  const other = ajv('array');
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? body : other).compile(schema));
}
