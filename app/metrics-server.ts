/**
 * Serves the Prometheus registry on /metrics, without credentials: for a processor process
 * (no API in it), and for `clv serve` on CLV_API_METRICS_PORT (`beforeScrape` refreshes the
 * read-model gauges).
 */
import { createServer, type Server } from 'node:http';
import { metricsRegistry } from '../metrics/metrics-registry.js';

export async function serveMetrics(host: string, port: number, beforeScrape?: () => Promise<void>): Promise<Server> {
  const server = createServer(async (req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    await beforeScrape?.();
    res.writeHead(200, { 'Content-Type': metricsRegistry.contentType }).end(await metricsRegistry.metrics());
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  return server;
}
