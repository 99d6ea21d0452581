/**
 * GET /v1/segments (scope read): customers per segment.
 * GET /v1/segments/:segment/customers (scope read): a segment's customers by ascending id,
 * `limit` at a time, with an opaque `next_cursor` to pass as `cursor` for the next page
 * (null after the last). A cursor is only valid for the segment that issued it.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { ClvReadModel } from '../../core/ports/clv-read-model.js';
import { Segments, type Segment } from '../../core/segmentation.js';
import { ApiError } from '../errors.js';
import { errorResponses } from '../plugins/errors.js';

const SegmentsResponse = Type.Object({
  segments: Type.Array(Type.Object({ segment: Type.String(), customers: Type.Integer() })),
  unscored: Type.Integer({ description: 'Customers with purchases but no score yet' }),
  total: Type.Integer(),
});

const PageParams = Type.Object({ segment: Type.Enum([...Segments]) });
const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100, description: 'Customers per page (default 100)' })),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, pattern: '^[A-Za-z0-9_-]+$', description: 'next_cursor of the previous page' })),
}, { additionalProperties: false });

const PageResponse = Type.Object({
  segment: Type.String(),
  customers: Type.Array(Type.Object({ customer_id: Type.String(), clv_minor: Type.Integer(), model_version: Type.Union([Type.String(), Type.Null()]) })),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});

/** Cursor = base64url of {"s": segment, "a": last customer id}: opaque to clients, checked here. */
export function encodeCursor(segment: Segment, after: string): string {
  return Buffer.from(JSON.stringify({ s: segment, a: after })).toString('base64url');
}

function decodeCursor(cursor: string, segment: Segment): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new ApiError('INVALID_CURSOR', 'cursor is not one this API issued');
  }
  const { s, a } = (parsed ?? {}) as { s?: unknown; a?: unknown };
  if (typeof s !== 'string' || typeof a !== 'string' || a === '') throw new ApiError('INVALID_CURSOR', 'cursor is not one this API issued');
  if (s !== segment) throw new ApiError('INVALID_CURSOR', `cursor belongs to segment ${s}, not ${segment}`);
  return a;
}

export async function segmentRoutes(app: FastifyInstance, options: { readModel: ClvReadModel }): Promise<void> {
  const { readModel } = options;

  app.get('/v1/segments', {
    config: { auth: 'read' },
    schema: {
      tags: ['segments'],
      summary: 'Customers per segment',
      response: { 200: SegmentsResponse, ...errorResponses('UNAUTHENTICATED', 'FORBIDDEN', 'UNAVAILABLE') },
    },
  }, async () => {
    const sizes = await readModel.segmentSizes();
    const segments = Segments.map((segment) => ({ segment, customers: sizes.segments[segment] }));
    return { segments, unscored: sizes.unscored, total: segments.reduce((n, s) => n + s.customers, sizes.unscored) };
  });

  app.get<{ Params: { segment: Segment }; Querystring: { limit?: number; cursor?: string } }>('/v1/segments/:segment/customers', {
    config: { auth: 'read' },
    schema: {
      tags: ['segments'],
      summary: "A segment's customers, one page at a time (cursor pagination by customer id)",
      params: PageParams,
      querystring: PageQuery,
      response: { 200: PageResponse, ...errorResponses('INVALID_CURSOR', 'UNAUTHENTICATED', 'FORBIDDEN', 'UNAVAILABLE') },
    },
  }, async (request) => {
    const { segment } = request.params;
    const limit = request.query.limit ?? 100;
    const after = request.query.cursor === undefined ? null : decodeCursor(request.query.cursor, segment);
    const page = await readModel.customersOfSegment(segment, { after, limit });
    return {
      segment,
      customers: page.customers.map((c) => ({ customer_id: c.customerId, clv_minor: c.clvMinor, model_version: c.modelVersion })),
      next_cursor: page.next === null ? null : encodeCursor(segment, page.next),
    };
  });
}
