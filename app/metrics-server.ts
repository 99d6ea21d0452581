/**
 * Serves the Prometheus registry on /metrics, without credentials: for a processor process
 * (no API in it), and for `clv serve` on CLV_API_METRICS_PORT (`beforeScrape` refreshes the
 * read-model gauges).
 */
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { CertificateAndKey } from '../config/secret-files.js';
import { metricsRegistry } from '../metrics/metrics-registry.js';

/** `tls`: serve HTTPS with this certificate (`clv serve` with CLV_API_TLS_CERT_FILE); null: HTTP. */
export async function serveMetrics(host: string, port: number, beforeScrape?: () => Promise<void>, tls: CertificateAndKey | null = null): Promise<Server> {
  const handler: Parameters<typeof createServer>[1] = async (req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    await beforeScrape?.();
    res.writeHead(200, { 'Content-Type': metricsRegistry.contentType }).end(await metricsRegistry.metrics());
  };
  // An https.Server is a tls.Server, not an http.Server, but listen/address/close are all callers use.
  const server = tls === null ? createServer(handler) : (createHttpsServer({ cert: tls.cert, key: tls.privateKey }, handler) as unknown as Server);
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  return server;
}
