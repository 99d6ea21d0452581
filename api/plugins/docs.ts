/**
 * OpenAPI 3 from the routes' TypeBox schemas (@fastify/swagger), served as JSON at
 * /docs/json and browsable with Swagger UI at /docs. Public: it describes the API, and no
 * data. Registered before the routes, whose schemas it collects as they register.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export const DOCS_PREFIX = '/docs';

export const docs = fp(async (app: FastifyInstance, options: { version: string }) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'clv-stream API',
        version: options.version,
        description: 'Customer lifetime value, segments, models and forecasts; event ingestion. Money is in minor units of the shop currency. '
          + 'Send one credential, in Authorization: Bearer or in X-API-Key: a request carrying both is refused (401), whatever they hold.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'clv_<name>_<secret>' },
          bearer: { type: 'http', scheme: 'bearer', description: 'An API key or an HS256 JWT with a "scope" claim' },
        },
      },
      tags: [
        { name: 'customers' }, { name: 'segments' }, { name: 'models' }, { name: 'forecast' }, { name: 'events' }, { name: 'operations' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: DOCS_PREFIX, staticCSP: true });
}, { name: 'clv-docs' });
