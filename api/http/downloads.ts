/** Sending a generated file as a download. */
import type { FastifyReply } from 'fastify';

/** `attachment` with an ASCII name and its UTF-8 form (RFC 6266). */
export const attachment = (filename: string): string =>
  `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(filename)}`;

/** A private download: never cached by a shared cache. */
export const sendDownload = (
  reply: FastifyReply,
  file: { readonly filename: string; readonly contentType: string; readonly bytes: Buffer },
) =>
  reply
    .header('content-type', file.contentType)
    .header('content-disposition', attachment(file.filename))
    .header('cache-control', 'private, no-store')
    .send(file.bytes);
