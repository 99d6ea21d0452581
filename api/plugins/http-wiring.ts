/**
 * The HTTP basics: security headers (helmet's, see security-headers.ts), CORS (off unless origins are configured) and
 * response compression. Registered before the routes so their hooks apply everywhere.
 */
import compress from '@fastify/compress';
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { COMPRESSION_ENCODINGS, COMPRESSION_THRESHOLD_BYTES } from '../response-compression.js';
import { securityHeaders } from './security-headers.js';

export const httpWiring = fp(async (app: FastifyInstance, options: { corsOrigins: readonly string[] }) => {
  // Swagger UI under /docs sets its own CSP for its static assets (staticCSP in docs.ts).
  await app.register(securityHeaders);
  if (options.corsOrigins.length > 0) {
    await app.register(cors, {
      origin: [...options.corsOrigins],
      methods: ['GET', 'POST'],
      allowedHeaders: ['Authorization', 'X-API-Key', 'Content-Type', 'X-Request-Id'],
      exposedHeaders: ['X-Request-Id', 'Retry-After', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'],
      maxAge: 600,
    });
  }
  await app.register(compress, {
    global: true,
    // The customer route keeps its answers' gzip and sends it itself (response-compression.ts).
    threshold: COMPRESSION_THRESHOLD_BYTES,
    encodings: COMPRESSION_ENCODINGS,
    // Request bodies are plain JSON: no decompression, so bodyLimit bounds what is parsed.
    globalDecompression: false,
  });
}, { name: 'clv-http-wiring' });
