/**
 * The dashboard (dashboard/ at the project root): static files under /dashboard/, public —
 * they hold no data; the page asks for an API key and calls the JSON API with it — and the
 * read endpoints its panels need besides the others' (trends.ts, segment-flows.ts,
 * actions.ts, accuracy.ts), which any client may use.
 *
 * Files are served by name from a fixed list, so nothing else that lands in the folder is
 * ever served, and every route declares its auth like any other (see plugins/auth.ts).
 */
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { dashboardDir } from '../../config/project-files.js';
import type { ClvReadModel } from '../../core/ports/clv-read-model.js';
import { accuracyRoutes } from './accuracy.js';
import { actionRoutes } from './actions.js';
import { segmentFlowRoutes } from './segment-flows.js';
import { trendRoutes } from './trends.js';

export const DASHBOARD_PREFIX = '/dashboard';
export const DASHBOARD_FILES = [
  'index.html', 'dashboard.css', 'dashboard.js', 'api-client.js', 'format.js', 'svg-charts.js',
  'revenue-panel.js', 'segments-panel.js', 'actions-panel.js', 'distribution-panel.js', 'accuracy-panel.js', 'customer-panel.js',
] as const;

/**
 * The page's own policy instead of helmet's default: no `upgrade-insecure-requests`, which
 * would send the page's requests to https on a plain-http demo, and nothing from elsewhere.
 */
const CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
  "object-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
].join('; ');

export interface DashboardRoutesOptions {
  readModel: ClvReadModel;
  currency: string;
  minorPerUnit: number;
  /** The shop's time zone: calendar periods and plain dates in queries are its. */
  timeZone: string;
  /** Where the files are (default: dashboard/ at the project root). */
  root?: string;
}

export async function dashboardRoutes(app: FastifyInstance, options: DashboardRoutesOptions): Promise<void> {
  await app.register(trendRoutes, options);
  await app.register(segmentFlowRoutes, options);
  await app.register(actionRoutes, options);
  await app.register(accuracyRoutes, options);
  // serve: false: only sendFile, on the routes below.
  await app.register(fastifyStatic, { root: options.root ?? dashboardDir(), serve: false });
  const route = { config: { auth: 'public' as const }, schema: { hide: true } };

  // Relative module and stylesheet URLs in the page need the trailing slash.
  app.get(DASHBOARD_PREFIX, route, async (_request, reply) => reply.redirect(`${DASHBOARD_PREFIX}/`, 302));
  app.get(`${DASHBOARD_PREFIX}/`, route, async (_request, reply) => reply.header('content-security-policy', CSP).sendFile('index.html'));
  for (const file of DASHBOARD_FILES) {
    app.get(`${DASHBOARD_PREFIX}/${file}`, route, async (_request, reply) => reply.header('content-security-policy', CSP).sendFile(file));
  }
}
