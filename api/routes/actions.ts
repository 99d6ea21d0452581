/**
 * GET /v1/actions?examples (scope read): the scored customers by recommended action and
 * segment, as of their latest scores, each group with the action policy's reason (why those
 * customers get it: config/action-policy.json, docs/recommendations.md) and its most
 * valuable customers with their own recommendation; and the policy's win-back rule, whose
 * spend threshold moves customers between win_back and its "otherwise".
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { Actions } from '../../core/action-policy.js';
import type { ClvReadModel } from '../../core/ports/clv-read-model.js';
import { errorResponses } from '../plugins/errors.js';

const ActionsQuery = Type.Object({
  examples: Type.Optional(Type.Integer({ minimum: 0, maximum: 20, default: 3, description: 'Customers listed per group, highest CLV first (default 3)' })),
}, { additionalProperties: false });

const Summary = Type.Object({
  currency: Type.String(),
  customers: Type.Integer({ description: 'Scored customers; the groups add up to it' }),
  actions: Type.Array(Type.Object({
    action: Type.Enum([...Actions]),
    customers: Type.Integer(),
    segments: Type.Array(Type.Object({
      segment: Type.String(),
      customers: Type.Integer(),
      reason: Type.String({ description: "Why this segment's customers get this action, from the action policy" }),
      examples: Type.Array(Type.Object({
        customer_id: Type.String(),
        clv_minor: Type.Integer(),
        reason: Type.String({ description: "The customer's own recommendation, with its figures" }),
        categories: Type.Array(Type.String(), { description: 'Categories to promote; may be empty' }),
      })),
    })),
  }), { description: 'Largest first' }),
  win_back: Type.Object({
    min_historic_value_minor: Type.Integer({ description: 'Win-back only for customers who spent at least this in total' }),
    segments: Type.Array(Type.String(), { description: 'Segments whose valuable customers get win-back once their probability alive drops below the at-risk threshold' }),
    otherwise: Type.Object({ action: Type.String(), reason: Type.String() }, { description: 'What customers below the threshold get' }),
  }),
});

export async function actionRoutes(app: FastifyInstance, options: { readModel: ClvReadModel; currency: string }): Promise<void> {
  app.get<{ Querystring: { examples?: number } }>('/v1/actions', {
    config: { auth: 'read' },
    schema: {
      tags: ['customers'],
      summary: 'Recommended actions: how many customers get each, per segment, why, and the most valuable of them',
      querystring: ActionsQuery,
      response: { 200: Summary, ...errorResponses('UNAUTHENTICATED', 'FORBIDDEN', 'UNAVAILABLE') },
    },
  }, async (request) => {
    const s = await options.readModel.actionSummary(request.query.examples ?? 3);
    const actions: { action: string; customers: number; segments: unknown[] }[] = [];
    for (const g of s.groups) {
      let a = actions.find((x) => x.action === g.action);
      if (!a) actions.push((a = { action: g.action, customers: 0, segments: [] }));
      a.customers += g.customers;
      a.segments.push({
        segment: g.segment, customers: g.customers, reason: g.reason,
        examples: g.examples.map((e) => ({ customer_id: e.customerId, clv_minor: e.clvMinor, reason: e.reason, categories: e.categories })),
      });
    }
    return {
      currency: options.currency,
      customers: s.customers,
      actions,
      win_back: { min_historic_value_minor: s.winBack.minHistoricValueMinor, segments: s.winBack.segments, otherwise: s.winBack.otherwise },
    };
  });
}
