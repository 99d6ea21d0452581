/**
 * The API over HTTPS (CLV_API_TLS_CERT_FILE / CLV_API_TLS_KEY_FILE), on a real socket with a
 * certificate made by openssl for this run: what `clv serve` and `clv demo --serve` listen with
 * (both build the app with api/build-app.ts), and the /metrics port of `clv serve`.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import type { AddressInfo } from 'node:net';
import { serveMetrics } from '../app/metrics-server.js';
import { loadApiConfig } from '../config/api-config.js';
import { apiFixture, bearer } from './support/api-fixture.js';
import { makeTestCertificates } from './support/test-certificates.js';

const certs = makeTestCertificates();
after(() => certs.remove());
const tls = loadApiConfig({ CLV_API_TLS_CERT_FILE: certs.serverCert, CLV_API_TLS_KEY_FILE: certs.serverKey }).tls;

/** Status and body of a GET, or the error that stopped it. */
function fetchText(url: string, options: { ca?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; body: string } | Error> {
  return new Promise((resolve) => {
    const get = url.startsWith('https:') ? httpsGet : httpGet;
    const req = get(url, { ...(options.ca ? { ca: options.ca } : {}), headers: options.headers ?? {} }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', resolve);
  });
}

test('with a certificate and key the API serves HTTPS only: a client trusting the CA gets answers, others are refused', async (t) => {
  const { app, keys } = await apiFixture({ customers: 20, api: { tls } });
  t.after(() => app.close());
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const ca = certs.read(certs.caCert);

  const health = await fetchText(`https://127.0.0.1:${port}/healthz`, { ca });
  assert.ok(!(health instanceof Error), String(health));
  assert.equal(health.status, 200);
  const segments = await fetchText(`https://localhost:${port}/v1/segments`, { ca, headers: bearer(keys.read) });
  assert.ok(!(segments instanceof Error) && segments.status === 200, String(segments instanceof Error ? segments : segments.status));

  const untrusted = await fetchText(`https://127.0.0.1:${port}/healthz`, { ca: certs.read(certs.otherCaCert) });
  assert.ok(untrusted instanceof Error && /unable to verify the first certificate|self[- ]signed|unable to get local issuer/.test(untrusted.message), String(untrusted));
  const plain = await fetchText(`http://127.0.0.1:${port}/healthz`);
  assert.ok(plain instanceof Error || plain.status !== 200, 'plain HTTP gets no answer from the API');
});

test('the metrics port of clv serve serves HTTPS with the same certificate', async (t) => {
  const server = await serveMetrics('127.0.0.1', 0, undefined, tls);
  t.after(() => new Promise((r) => server.close(r)));
  const { port } = server.address() as AddressInfo;
  const metrics = await fetchText(`https://127.0.0.1:${port}/metrics`, { ca: certs.read(certs.caCert) });
  assert.ok(!(metrics instanceof Error), String(metrics));
  assert.equal(metrics.status, 200);
  assert.match(metrics.body, /^# HELP /m);
});
