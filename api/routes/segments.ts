/**
 * GET /v1/segments (scope read): customers per segment.
 * GET /v1/segments/:segment/customers (scope read): a segment's customers by ascending id,
 * `limit` at a time, with an opaque `next_cursor` to pass as `cursor` for the next page
 * (null after the last). A cursor is a position: the base64url of the last customer id of a
 * page, and the next page holds the customers after that id. So every cursor the schema
 * admits means something (an OpenAPI client or fuzzer never meets an undeclared refusal), and
 * a cursor used on another segment pages that segment from the same id on.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { ClvReadModel } from '../../core/ports/clv-read-model.js';
import { Segments, type Segment } from '../../core/segmentation.js';
import { errorResponses } from '../plugins/errors.js';

const SegmentsResponse = Type.Object({
  segments: Type.Array(Type.Object({ segment: Type.String(), customers: Type.Integer() })),
  unscored: Type.Integer({ description: 'Customers with purchases but no score yet' }),
  total: Type.Integer(),
});

const PageParams = Type.Object({ segment: Type.Enum([...Segments]) });
const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100, description: 'Customers per page (default 100)' })),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, pattern: '^[A-Za-z0-9_-]+$', description: 'next_cursor of the previous page: the customers after its position' })),
}, { additionalProperties: false });

const PageResponse = Type.Object({
  segment: Type.String(),
  customers: Type.Array(Type.Object({ customer_id: Type.String(), clv_minor: Type.Integer(), model_version: Type.Union([Type.String(), Type.Null()]) })),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});

/** The cursor after customer `after`. */
export function encodeCursor(after: string): string {
  return Buffer.from(after, 'utf8').toString('base64url');
}

/** The customer id a cursor points after; null (the first page) for one that decodes to nothing. */
function decodeCursor(cursor: string): string | null {
  const after = Buffer.from(cursor, 'base64url').toString('utf8');
  return after === '' ? null : after;
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
      response: { 200: PageResponse, ...errorResponses('UNAUTHENTICATED', 'FORBIDDEN', 'UNAVAILABLE') },
    },
  }, async (request) => {
    const { segment } = request.params;
    const limit = request.query.limit ?? 100;
    const after = request.query.cursor === undefined ? null : decodeCursor(request.query.cursor);
    const page = await readModel.customersOfSegment(segment, { after, limit });
    return {
      segment,
      customers: page.customers.map((c) => ({ customer_id: c.customerId, clv_minor: c.clvMinor, model_version: c.modelVersion })),
      next_cursor: page.next === null ? null : encodeCursor(page.next),
    };
  });
}
