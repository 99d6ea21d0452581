/**
 * The scaled-out stores of the scale-out test, the test's own, on free ports in a temp dir:
 *
 *   - a Redis Cluster of three masters: plain `redis-server` processes (Debian's 7.0, as
 *     scripts/services/redis.sh runs it) with `--cluster-enabled yes`, joined by
 *     `redis-cli --cluster create … --cluster-replicas 0 --cluster-yes`;
 *   - ClickHouse with two shards: two `clickhouse-server` processes (Debian's 18.16) with the
 *     config scripts/services/clickhouse.sh writes, plus a `remote_servers` cluster naming
 *     both, one replica per shard (no replication, no ZooKeeper).
 *
 * The servers run in the foreground as children of the test process, and are killed when it
 * exits however it exits (after hooks, a signal, an uncaught failure). The shared services
 * (6379, 8123/9000) are never touched.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from './free-port.js';

const root = resolve(import.meta.dirname, '..', '..', '..');
const host = '127.0.0.1';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Server {
  name: string;
  child: ChildProcess;
  exited: Promise<void>;
}

export class ScaleOutStores {
  private readonly servers: Server[] = [];
  private constructor(
    readonly home: string,
    readonly redisPorts: number[],
    readonly clickhouse: Array<{ http: number; tcp: number }>,
    readonly clusterName: string,
  ) {}

  /** Picks ports and a temp dir; starts nothing. */
  static async create(): Promise<ScaleOutStores> {
    const home = mkdtempSync(join(tmpdir(), 'clv-scale-out-'));
    const redisPorts = [await freePort(), await freePort(), await freePort()];
    const clickhouse = [{ http: await freePort(), tcp: await freePort() }, { http: await freePort(), tcp: await freePort() }];
    const stores = new ScaleOutStores(home, redisPorts, clickhouse, 'clv_shards');
    process.once('exit', () => stores.killAllSync());
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
      process.once(signal, () => {
        stores.killAllSync();
        process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGHUP' ? 1 : 15));
      });
    }
    return stores;
  }

  /** One node of the Cluster: what CLV_REDIS_URL names with CLV_REDIS_CLUSTER=true. */
  get redisUrl(): string {
    return `redis://${host}:${this.redisPorts[0]}`;
  }
  get clickhouseUrls(): string[] {
    return this.clickhouse.map((c) => `http://${host}:${c.http}`);
  }

  /** The settings of a `clv` process on these stores. */
  clvEnv(database: string): NodeJS.ProcessEnv {
    return {
      CLV_REDIS_URL: this.redisUrl,
      CLV_REDIS_CLUSTER: 'true',
      CLV_CLICKHOUSE_URL: this.clickhouseUrls[0],
      CLV_CLICKHOUSE_CLUSTER: this.clusterName,
      CLV_CLICKHOUSE_SHARD_URLS: this.clickhouseUrls.join(','),
      CLV_CLICKHOUSE_DATABASE: database,
    };
  }

  /** Starts the three Redis masters and the two ClickHouse shards, and waits until the Cluster's slots are all served and both shards answer. */
  async up(): Promise<void> {
    for (const port of this.redisPorts) this.startRedis(port, await freePort());
    this.clickhouse.forEach((c, i) => this.startClickHouse(i + 1, c));
    for (const port of this.redisPorts) await this.until(`redis ${port}`, () => cli(port, 'PING') === 'PONG');
    const create = spawnSync('redis-cli', ['--cluster', 'create', ...this.redisPorts.map((p) => `${host}:${p}`), '--cluster-replicas', '0', '--cluster-yes'], { encoding: 'utf8' });
    if (create.status !== 0) throw new Error(`redis-cli --cluster create failed:\n${create.stdout}${create.stderr}`);
    for (const port of this.redisPorts) await this.until(`redis ${port} cluster_state:ok`, () => /cluster_state:ok/.test(cli(port, 'CLUSTER', 'INFO')));
    for (const url of this.clickhouseUrls) {
      await this.until(`clickhouse ${url}`, async () => {
        try {
          return (await fetch(`${url}/?query=SELECT%201`)).ok;
        } catch {
          return false;
        }
      });
    }
  }

  /** Keys held by each master (DBSIZE): how the Cluster spread the state. */
  keysPerMaster(): number[] {
    return this.redisPorts.map((p) => Number(cli(p, 'DBSIZE')));
  }

  /** SIGTERM to every server, SIGKILL after 20 s; removes the temp dir unless `keep` (its logs). */
  async close(options: { keep: boolean }): Promise<void> {
    for (const s of this.servers) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGTERM');
    await Promise.race([Promise.all(this.servers.map((s) => s.exited)), sleep(20_000)]);
    this.killAllSync();
    if (!options.keep) rmSync(this.home, { recursive: true, force: true });
  }

  killAllSync(): void {
    for (const s of this.servers) {
      if (s.child.exitCode === null && s.child.signalCode === null) {
        try {
          s.child.kill('SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  }

  private startRedis(port: number, busPort: number): void {
    const dir = join(this.home, `redis-${port}`);
    mkdirSync(dir, { recursive: true });
    this.spawnServer(`redis ${port}`, 'redis-server', [
      '--port', String(port), '--bind', host, '--protected-mode', 'yes', '--cluster-enabled', 'yes', '--cluster-port', String(busPort),
      '--cluster-config-file', join(dir, 'nodes.conf'), '--dir', dir, '--logfile', join(dir, 'redis.log'),
      '--save', '', '--appendonly', 'no', '--daemonize', 'no',
    ], dir);
  }

  private startClickHouse(shard: number, ports: { http: number; tcp: number }): void {
    // The same config as the shared server's (scripts/services/clickhouse.sh), in our own home.
    const servicesHome = join(this.home, `clickhouse-${shard}`);
    const env = { ...process.env, SERVICES_HOME: servicesHome, CLICKHOUSE_HTTP_PORT: String(ports.http), CLICKHOUSE_TCP_PORT: String(ports.tcp) };
    const written = spawnSync('bash', ['-c', `source ${JSON.stringify(join(root, 'scripts', 'services', 'lib.sh'))} && clickhouse_write_config`], { env, encoding: 'utf8' });
    if (written.status !== 0) throw new Error(`clickhouse config for shard ${shard}: ${written.stderr}`);
    const dir = join(servicesHome, 'clickhouse');
    mkdirSync(join(dir, 'etc', 'config.d'), { recursive: true });
    const shards = this.clickhouse.map((c) => `      <shard><replica><host>${host}</host><port>${c.tcp}</port></replica></shard>`).join('\n');
    writeFileSync(join(dir, 'etc', 'config.d', 'remote-servers.xml'), `<?xml version="1.0"?>\n<yandex>\n  <remote_servers>\n    <${this.clusterName}>\n${shards}\n    </${this.clusterName}>\n  </remote_servers>\n</yandex>\n`);
    this.spawnServer(`clickhouse shard ${shard}`, 'clickhouse-server', [`--config-file=${join(dir, 'etc', 'config.xml')}`], dir);
  }

  private spawnServer(name: string, command: string, args: string[], cwd: string): void {
    const child = spawn(command, args, { cwd, stdio: 'ignore' });
    const exited = new Promise<void>((r) => child.on('exit', () => r()));
    child.on('error', () => undefined);
    this.servers.push({ name, child, exited });
  }

  private async until(what: string, ready: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const dead = this.servers.find((s) => s.child.exitCode !== null || s.child.signalCode !== null);
      if (dead) throw new Error(`${dead.name} exited (${dead.child.exitCode ?? dead.child.signalCode}); logs in ${this.home}`);
      if (await ready()) return;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; logs in ${this.home}`);
      await sleep(200);
    }
  }
}

function cli(port: number, ...args: string[]): string {
  const r = spawnSync('redis-cli', ['-h', host, '-p', String(port), ...args], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '';
}
