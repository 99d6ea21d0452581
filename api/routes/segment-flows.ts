/**
 * GET /v1/segments/flows?from&to&examples (scope read): who moved between segments over a
 * window — e.g. from high_value to at_risk this week — as net movements: each customer's
 * segment as of `from` against their segment as of `to`, from the score history (the
 * analytics store: ClickHouse's segment_changes, or its in-memory tables in embedded mode;
 * core/ports/clv-read-model-reports.ts SegmentFlows). Flows out of a segment add up to its
 * size at `from`, flows into it to its size at `to` (`sizes_from`, `sizes_to`).
 * `available: false` where the API has no score history.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { ClvReadModel } from '../../core/ports/clv-read-model.js';
import { Segments } from '../../core/segmentation.js';
import { DateOrTime, instantOf } from '../date-or-time.js';
import { Nullable } from '../nullable-schema.js';
import { errorResponses } from '../plugins/errors.js';

const Time = Type.String({ format: 'date-time' });
const SegmentCounts = Type.Object(Object.fromEntries(Segments.map((s) => [s, Type.Integer()])));

const FlowsQuery = Type.Object({
  from: DateOrTime('Segments as of this time are the starting point (a date: as of the end of the day before, so the window includes that day)'),
  to: DateOrTime('Segments as of this time are the end point (a date: its end). Before `from`: an empty window, no flow'),
  examples: Type.Optional(Type.Integer({ minimum: 0, maximum: 50, default: 5, description: 'Customers listed per move, most valuable first (default 5)' })),
}, { additionalProperties: false });

const Flows = Type.Object({
  from: Time,
  to: Time,
  available: Type.Boolean({ description: 'false where this API has no score history (flows are then empty)' }),
  flows: Type.Array(Type.Object({
    from_segment: Nullable(Type.String({ description: 'Segment as of `from`; null: not scored by then (a new customer)' })),
    to_segment: Type.String({ description: 'Segment as of `to`' }),
    customers: Type.Integer(),
    examples: Type.Array(Type.Object({
      customer_id: Type.String(),
      clv_minor: Type.Integer({ description: 'CLV at their latest segment change by `to`' }),
    }), { description: 'Moves only: the most valuable of these customers; [] for customers who stayed' }),
  }), { description: 'Moves first, largest first; then those who stayed, per segment' }),
  sizes_from: SegmentCounts,
  sizes_to: SegmentCounts,
  latest_change: Nullable(Type.String({ format: 'date-time', description: 'The latest segment change the history holds: how far it has seen' })),
});

export async function segmentFlowRoutes(app: FastifyInstance, options: { readModel: ClvReadModel; timeZone: string }): Promise<void> {
  const { readModel, timeZone } = options;
  app.get<{ Querystring: { from: string; to: string; examples?: number } }>('/v1/segments/flows', {
    config: { auth: 'read' },
    schema: {
      tags: ['segments'],
      summary: 'Who moved between segments between two times (e.g. from high_value to at_risk this week)',
      description: "Each customer's segment as of `from` against their segment as of `to` (their latest segment change by then), "
        + 'counted per pair, with the most valuable movers listed. A customer who moved away and back within the window stayed.',
      querystring: FlowsQuery,
      response: { 200: Flows, ...errorResponses('UNAUTHENTICATED', 'FORBIDDEN', 'UNAVAILABLE') },
    },
  }, async (request) => {
    // A date: segments as of just before it starts, so that its own moves are in the window.
    const fromMs = instantOf(request.query.from, 'from', timeZone, 'start') - (request.query.from.length === 10 ? 1 : 0);
    const toMs = instantOf(request.query.to, 'to', timeZone, 'end');
    // `to` before `from` is schema-valid: an empty window, as actuals give no period for it.
    const r = toMs < fromMs
      ? await readModel.segmentFlows({ fromMs, toMs: fromMs }, 0).then((x) => x && { ...x, toMs, flows: [] })
      : await readModel.segmentFlows({ fromMs, toMs }, request.query.examples ?? 5);
    const sizesFrom = Object.fromEntries(Segments.map((s) => [s, 0])) as Record<string, number>;
    const sizesTo = { ...sizesFrom };
    for (const f of r?.flows ?? []) {
      if (f.from !== null) sizesFrom[f.from] += f.customers;
      sizesTo[f.to] += f.customers;
    }
    return {
      from: new Date(fromMs).toISOString(),
      to: new Date(toMs).toISOString(),
      available: r !== null,
      flows: (r?.flows ?? []).map((f) => ({
        from_segment: f.from, to_segment: f.to, customers: f.customers,
        examples: f.examples.map((e) => ({ customer_id: e.customerId, clv_minor: e.clvMinor })),
      })),
      sizes_from: sizesFrom,
      sizes_to: sizesTo,
      latest_change: r?.latestChangeMs == null ? null : new Date(r.latestChangeMs).toISOString(),
    };
  });
}
