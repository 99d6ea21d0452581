/**
 * Response compression: the settings of @fastify/compress (registered in plugins/http-wiring.ts)
 * and the encoding it would choose for a request, so that the customer route can answer with a
 * gzip kept beside the document (customer-document-cache.ts) instead of the plugin compressing
 * the same bytes on every request. With `Accept-Encoding: gzip`, as browsers, HTTP libraries
 * and ingresses send it, that compression doubled the server's user CPU per GET of one customer
 * (docs/performance.md).
 */
import type { IncomingHttpHeaders } from 'node:http';
import negotiate from '@fastify/accept-negotiator';
import type { FastifyCompressOptions } from '@fastify/compress';

type Encoding = NonNullable<FastifyCompressOptions['encodings']>[number];

/** Answers shorter than this go out as they are. */
export const COMPRESSION_THRESHOLD_BYTES = 1024;

/** In the server's order of preference; gzip before brotli because it costs less CPU. */
export const COMPRESSION_ENCODINGS: Encoding[] = ['gzip', 'deflate', 'br'];

/** The plugin reads `*` (no preference) and `x-gzip` as gzip. */
const GZIP_ALIASES = /\*|x-gzip/gu;

/**
 * The encoding @fastify/compress gives an answer to a request with these headers (when the
 * answer is compressible and not shorter than the threshold), or null for none: as the plugin
 * decides it — no `X-No-Compression`, then `Accept-Encoding` negotiated against
 * COMPRESSION_ENCODINGS by the same negotiator.
 */
export function compressionEncodingOf(headers: IncomingHttpHeaders): Encoding | null {
  if (headers['x-no-compression'] !== undefined) return null;
  const accepted = headers['accept-encoding'];
  if (accepted === undefined) return null;
  return negotiate(accepted.toLowerCase().replace(GZIP_ALIASES, 'gzip'), COMPRESSION_ENCODINGS);
}

/** A Vary value that also names accept-encoding, added as the plugin adds it. */
export function varyWithAcceptEncoding(vary: string | number | string[] | undefined): string {
  if (vary === undefined) return 'accept-encoding';
  const values = Array.isArray(vary) ? vary : [String(vary)];
  return values.some((v) => v.includes('accept-encoding')) ? values.join(', ') : [...values, 'accept-encoding'].join(', ');
}
