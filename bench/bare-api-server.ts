/**
 * The bare baseline of `npm run bench:api` (issue 14): fastify (the project's version) with
 * no plugins — no auth, rate limit, helmet, CORS, compression or request logging — answering
 * GET /v1/customers/:id with the body the project's API gave for that customer, from a Map,
 * with the content type the project sends. The floor of the HTTP work the route cannot avoid.
 *
 * `node bare-api-server.js <bodies file> <port> <workers> [<headers file>]`: the file holds one
 * `<customer id>\t<body>` per line; with workers > 1 node:cluster workers share the port, as
 * `clv serve` runs them. Says "API listening" on stderr once every worker listens.
 *
 * With a headers file (a JSON object of header names and values), every answer also carries
 * those headers, set as they are: the response headers the project's security features add
 * (helmet's, CORS, rate limit, request id, compression's Vary), without any of the work that
 * decides them. bench:api uses it as a second floor, to tell what the bytes of those headers
 * cost (to the server and to the load generator) from what the plugins' logic costs.
 *
 * With BENCH_API_ACCEPT_ENCODING=gzip, a request that accepts gzip gets each body's gzip,
 * compressed once at start (Content-Encoding: gzip, Vary naming accept-encoding): the bytes a
 * server sends that keeps its compressed answers, without compressing per request.
 */
import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import Fastify from 'fastify';

const [file, portText, workersText, headersFile] = process.argv.slice(2);
const port = Number(portText);
const workers = Number(workersText ?? 1);
const JSON_TYPE = 'application/json; charset=utf-8';

if (cluster.isPrimary && workers > 1) {
  let listening = 0;
  for (let i = 0; i < workers; i++) cluster.fork().once('listening', () => { if (++listening === workers) process.stderr.write('API listening\n'); });
  process.once('SIGTERM', () => { for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM'); });
} else {
  const bodies = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0) bodies.set(line.slice(0, tab), line.slice(tab + 1));
  }
  const headers = headersFile === undefined ? null : JSON.parse(readFileSync(headersFile, 'utf8')) as Record<string, string>;
  const gzipped = process.env.BENCH_API_ACCEPT_ENCODING === 'gzip' ? new Map([...bodies].map(([id, body]) => [id, gzipSync(body)])) : null;
  const vary = headers?.vary ? `${headers.vary}, accept-encoding` : 'accept-encoding';
  const app = Fastify({ logger: false });
  app.get<{ Params: { id: string } }>('/v1/customers/:id', async (request, reply) => {
    const body = bodies.get(request.params.id);
    if (body === undefined) return reply.code(404).type(JSON_TYPE).send('{"error":{"code":"API_CUSTOMER_NOT_FOUND"}}');
    if (headers !== null) reply.headers(headers);
    if (gzipped !== null && request.headers['accept-encoding']?.includes('gzip')) {
      return reply.type(JSON_TYPE).header('content-encoding', 'gzip').header('vary', vary).send(gzipped.get(request.params.id));
    }
    return reply.type(JSON_TYPE).send(body);
  });
  await app.listen({ host: '127.0.0.1', port, backlog: 4096 }); // as `clv serve` does
  if (workers <= 1) process.stderr.write('API listening\n');
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}
