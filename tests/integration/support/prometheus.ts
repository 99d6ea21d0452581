/**
 * A real Prometheus for the integration suite: Debian's `prometheus` package (installed by
 * `npm run services:up`, or `monitoring/check-rules.sh`), run as a child process on
 * 127.0.0.1, a free port and a temp data dir, with a short scrape and evaluation interval;
 * and node_exporter (`prometheus-node-exporter`, same install) with only its textfile
 * collector, which is how batch jobs such as `clv reconcile` reach Prometheus.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort } from './free-port.js';
import { until } from './stack.js';

/** Fails with what to do when the binaries are missing: the suite never skips silently. */
export function requirePrometheus(): void {
  for (const bin of ['prometheus', 'promtool', 'prometheus-node-exporter']) {
    if (spawnSync(bin, ['--version']).status !== 0) {
      throw new Error(`${bin} not found: \`npm run services:up\` installs Debian's prometheus and prometheus-node-exporter packages (or apt-get install them)`);
    }
  }
}

export interface HistorySeries {
  /** e.g. `clv_events_in_total`; a counter's family name is this without `_total`. */
  name: string;
  labels: Record<string, string>;
  /** Increase per second. */
  ratePerSecond: number;
}

/**
 * Writes counter history into the data dir before Prometheus starts (promtool tsdb
 * create-blocks-from openmetrics), one sample a minute over each [from, to] range: what a
 * rule comparing with a day or a week ago needs, which a fresh Prometheus cannot have.
 */
export function backfill(dir: string, series: readonly HistorySeries[], ranges: ReadonlyArray<{ fromMs: number; toMs: number }>): void {
  const lines: string[] = [];
  for (const family of new Set(series.map((s) => s.name))) {
    lines.push(`# TYPE ${family.replace(/_total$/, '')} counter`);
    for (const s of series.filter((x) => x.name === family)) {
      const labels = Object.entries(s.labels).map(([k, v]) => `${k}="${v}"`).join(',');
      let value = 0;
      for (const { fromMs, toMs } of ranges) {
        for (let t = Math.floor(fromMs / 60_000) * 60; t * 1000 <= toMs; t += 60) {
          value += 60 * s.ratePerSecond;
          lines.push(`${s.name}{${labels}} ${value} ${t}`);
        }
      }
    }
  }
  lines.push('# EOF');
  const file = join(dir, 'history.om');
  writeFileSync(file, lines.join('\n') + '\n');
  const r = spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', file, join(dir, 'data')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`promtool tsdb create-blocks-from openmetrics failed: ${r.stderr}`);
}

export interface PrometheusProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** An instant query's result; throws on a query Prometheus refuses. */
  query(expr: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>>;
  api<T>(path: string): Promise<T>;
  stop(): Promise<void>;
}

/** Starts Prometheus on `dir` (config and data) and resolves once it is ready. */
export async function startPrometheus(dir: string, o: { ruleFiles: readonly string[]; jobs: Record<string, readonly string[]>; intervalSeconds: number }): Promise<PrometheusProcess> {
  const config = {
    global: { scrape_interval: `${o.intervalSeconds}s`, scrape_timeout: `${o.intervalSeconds}s`, evaluation_interval: `${o.intervalSeconds}s` },
    rule_files: [...o.ruleFiles],
    scrape_configs: Object.entries(o.jobs).map(([job, targets]) => ({ job_name: job, static_configs: [{ targets: [...targets] }] })),
  };
  writeFileSync(join(dir, 'prometheus.yml'), stringify(config));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn('prometheus', [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  await until(async () => {
    if (child.exitCode !== null) throw new Error(`prometheus exited ${child.exitCode}:\n${output}`);
    return fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
  }, 'Prometheus to be ready', 60_000);
  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${url}${path}`);
    const body = (await res.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`${path}: ${body.error}`);
    return body.data;
  };
  return {
    url,
    child,
    output: () => output,
    api,
    async query(expr) {
      const data = await api<{ result: Array<{ metric: Record<string, string>; value: [number, string] }> }>(`/api/v1/query?query=${encodeURIComponent(expr)}`);
      return data.result;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface NodeExporterProcess {
  /** host:port to scrape. */
  target: string;
  stop(): Promise<void>;
}

/** node_exporter with only the textfile collector, reading the *.prom files of `textfileDir`. */
export async function startTextfileExporter(textfileDir: string): Promise<NodeExporterProcess> {
  const port = await freePort();
  const child = spawn('prometheus-node-exporter', [
    '--collector.disable-defaults', '--collector.textfile', `--collector.textfile.directory=${textfileDir}`, `--web.listen-address=127.0.0.1:${port}`,
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  await until(async () => {
    if (child.exitCode !== null) throw new Error(`node_exporter exited ${child.exitCode}:\n${output}`);
    return fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.ok, () => false);
  }, 'node_exporter to serve /metrics', 30_000);
  return {
    target: `127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
