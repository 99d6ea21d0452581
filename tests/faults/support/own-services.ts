/**
 * A private copy of the real stack for fault injection: Kafka, Apicurio, ClickHouse and Redis
 * started by the project's own scripts (scripts/services/up.sh, down.sh) with SERVICES_HOME
 * in a temp dir and free ports, so that killing, stopping and flushing them touches nobody
 * else's services. The binaries come from the usual install (`$SERVICES_HOME`, default
 * `.services/`; scripts/services/install.sh fills it if empty): the temp home links to them.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../integration/support/free-port.js';

export type ServiceName = 'kafka' | 'registry' | 'clickhouse' | 'redis';
export const serviceNames: readonly ServiceName[] = ['kafka', 'registry', 'clickhouse', 'redis'];

const root = resolve(import.meta.dirname, '..', '..', '..');
const scripts = join(root, 'scripts', 'services');
const host = '127.0.0.1';

/** Where each service writes its pid file, relative to SERVICES_HOME (scripts/services/<name>.sh). */
const pidFiles: Record<ServiceName, string> = {
  kafka: 'kafka/kafka.pid',
  registry: 'registry/registry.pid',
  clickhouse: 'clickhouse/clickhouse.pid',
  redis: 'redis/redis.pid',
};

export interface Ports {
  kafka: number;
  kafkaController: number;
  registry: number;
  registryManagement: number;
  clickhouseHttp: number;
  clickhouseTcp: number;
  redis: number;
}

async function runScript(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn('bash', [join(scripts, script), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  if (code !== 0) throw new Error(`scripts/services/${script} ${args.join(' ')} exited ${code}:\n${output}`);
  return output;
}

export class OwnServices {
  private constructor(
    readonly home: string,
    readonly ports: Ports,
    private readonly scriptEnv: NodeJS.ProcessEnv,
  ) {}

  /** Links the installed binaries into a new temp home and picks free ports; starts nothing. */
  static async create(): Promise<OwnServices> {
    const installHome = process.env.SERVICES_HOME ?? join(root, '.services');
    const installEnv = { ...process.env, SERVICES_HOME: installHome };
    await runScript('install.sh', ['kafka', 'registry', 'clickhouse', 'redis'], installEnv);
    const home = mkdtempSync(join(tmpdir(), 'clv-faults-'));
    mkdirSync(join(home, 'kafka'), { recursive: true });
    mkdirSync(join(home, 'registry'), { recursive: true });
    symlinkSync(join(installHome, 'kafka', 'libs'), join(home, 'kafka', 'libs'));
    const registryVersion = process.env.REGISTRY_VERSION ?? '3.0.9';
    const dist = `apicurio-registry-${registryVersion}`;
    if (!existsSync(join(installHome, 'registry', dist, '.installed'))) throw new Error(`no Apicurio ${registryVersion} install in ${installHome}/registry`);
    symlinkSync(join(installHome, 'registry', dist), join(home, 'registry', dist));
    const ports: Ports = {
      kafka: await freePort(), kafkaController: await freePort(), registry: await freePort(), registryManagement: await freePort(),
      clickhouseHttp: await freePort(), clickhouseTcp: await freePort(), redis: await freePort(),
    };
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      SERVICES_HOME: home,
      KAFKA_PORT: String(ports.kafka),
      KAFKA_CONTROLLER_PORT: String(ports.kafkaController),
      REGISTRY_PORT: String(ports.registry),
      REGISTRY_MANAGEMENT_PORT: String(ports.registryManagement),
      REGISTRY_VERSION: registryVersion,
      REGISTRY_STORAGE: 'file',
      CLICKHOUSE_HTTP_PORT: String(ports.clickhouseHttp),
      CLICKHOUSE_TCP_PORT: String(ports.clickhouseTcp),
      REDIS_PORT: String(ports.redis),
    };
    const services = new OwnServices(home, ports, env);
    // Should the test process end without its after() hooks (a CI timeout, ^C), take the
    // services down with it: they run detached (setsid, --daemonize) and would outlive it.
    process.once('exit', () => services.killAllSync());
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
      process.once(signal, () => {
        services.killAllSync();
        process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGHUP' ? 1 : 15));
      });
    }
    return services;
  }

  get kafkaBrokers(): string[] {
    return [`${host}:${this.ports.kafka}`];
  }
  get registryUrl(): string {
    return `http://${host}:${this.ports.registry}/apis/ccompat/v7`;
  }
  get redisUrl(): string {
    return `redis://${host}:${this.ports.redis}`;
  }
  get clickhouseUrl(): string {
    return `http://${host}:${this.ports.clickhouseHttp}`;
  }

  /** The env of a `clv` process pointed at these services (and nowhere else). */
  clvEnv(): NodeJS.ProcessEnv {
    return {
      CLV_KAFKA_BROKERS: this.kafkaBrokers.join(','),
      CLV_SCHEMA_REGISTRY_URL: this.registryUrl,
      CLV_REDIS_URL: this.redisUrl,
      CLV_CLICKHOUSE_URL: this.clickhouseUrl,
      CLV_CLICKHOUSE_DATABASE: 'clv_faults',
      CLV_MODEL_REGISTRY_DIR: join(this.home, 'models'),
    };
  }

  /** Starts services with scripts/services/up.sh (which waits until each answers). */
  async up(...names: ServiceName[]): Promise<void> {
    await runScript('up.sh', names, this.scriptEnv);
  }

  /** Stops services with scripts/services/down.sh: SIGTERM, a clean shutdown. */
  async down(...names: ServiceName[]): Promise<void> {
    await runScript('down.sh', names, this.scriptEnv);
  }

  /** SIGKILLs a service (no shutdown at all) and waits until it is gone. */
  async kill(name: ServiceName): Promise<void> {
    const pid = this.pid(name);
    if (pid === null) throw new Error(`${name} is not running`);
    process.kill(pid, 'SIGKILL');
    while (alive(pid)) await new Promise((r) => setTimeout(r, 50));
  }

  /** The pid of a running service, from its pid file. */
  pid(name: ServiceName): number | null {
    const file = join(this.home, pidFiles[name]);
    if (!existsSync(file)) return null;
    const pid = Number(readFileSync(file, 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return null;
    // Guard against pid reuse: the process must be ours (its command line names our home or port).
    const marker = name === 'redis' ? `${host}:${this.ports.redis}` : this.home;
    const cmdline = existsSync(`/proc/${pid}/cmdline`) ? readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ') : '';
    return cmdline.includes(marker) ? pid : null;
  }

  /** Where a service writes its logs, for failure messages. */
  logDir(name: ServiceName): string {
    return join(this.home, name);
  }

  /** Stops everything and removes the temp home (kept when `keep`, for its logs). */
  async close(options: { keep: boolean }): Promise<void> {
    try {
      await runScript('down.sh', [...serviceNames], this.scriptEnv);
    } finally {
      this.killAllSync();
      if (!options.keep) rmSync(this.home, { recursive: true, force: true });
    }
  }

  /** Last resort on exit: SIGKILL whatever of ours still runs (only pids from our pid files). */
  killAllSync(): void {
    for (const name of serviceNames) {
      const pid = this.pid(name);
      if (pid !== null) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  }

  /** A redis-cli command against our Redis (e.g. FLUSHALL). */
  redisCli(...args: string[]): string {
    const r = spawnSync('redis-cli', ['-h', host, '-p', String(this.ports.redis), ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`redis-cli ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.trim();
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
