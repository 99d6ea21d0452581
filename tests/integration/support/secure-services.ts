/**
 * A Redis that speaks only TLS with an ACL user, and a Kafka broker whose only client listener
 * is SASL_SSL with SCRAM-SHA-256: private instances on free loopback ports in a temp dir, with
 * the certificates of tests/support/test-certificates.ts. The shared services (9092, 6379…)
 * are never touched.
 *
 * Redis is Debian's redis-server 7.0 (built with TLS). Kafka runs from the jars
 * scripts/services/kafka.sh installs under `$SERVICES_HOME/kafka/libs` (default `.services/`
 * of the checkout this file is in, else of the main checkout beside a worktree), as
 * tests/faults/support/own-services.ts does, but with a server.properties of its own: the
 * SCRAM credential is created when the storage is formatted (`--add-scram`), and the broker
 * reads its PEM certificate and key directly (ssl.keystore.type=PEM, Kafka ≥ 2.7).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import kafkajs from 'kafkajs';
import { freePort } from './free-port.js';
import type { TestCertificates } from '../../support/test-certificates.js';

const host = '127.0.0.1';
const root = resolve(import.meta.dirname, '..', '..', '..');

export interface Account {
  username: string;
  password: string;
}

/** Where the Kafka jars are: $SERVICES_HOME, this checkout's .services, or the main checkout's (from a git worktree). */
export function kafkaLibs(): string | null {
  const candidates = [process.env.SERVICES_HOME, join(root, '.services')];
  try {
    // A worktree's common git dir is the main checkout's .git.
    const common = execFileSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], { cwd: root, encoding: 'utf8' }).trim();
    candidates.push(join(resolve(common, '..'), '.services'));
  } catch {
    // not a git checkout
  }
  for (const home of candidates) {
    if (home && existsSync(join(home, 'kafka', 'libs', '.version'))) return join(home, 'kafka', 'libs');
  }
  return null;
}

async function until(check: () => Promise<boolean>, what: string, log: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (see ${log})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Should the test process end without its after() hooks, the service goes with it. */
function killOnExit(child: ChildProcess): void {
  const kill = () => alive(child) && child.kill('SIGKILL');
  process.once('exit', kill);
  child.once('exit', () => process.off('exit', kill));
}

function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

async function stop(child: ChildProcess): Promise<void> {
  if (!alive(child)) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => alive(child) && child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** redis-server: TLS only (`--port 0`), the `default` user off, `account` with every right. */
export class TlsRedis {
  private constructor(
    readonly port: number,
    private readonly child: ChildProcess,
  ) {}

  static async start(dir: string, certs: TestCertificates, account: Account): Promise<TlsRedis> {
    const home = join(dir, 'redis');
    mkdirSync(home, { recursive: true });
    writeFileSync(join(home, 'users.acl'), `user default off\nuser ${account.username} on >${account.password} ~* &* +@all\n`);
    const port = await freePort();
    const logFile = join(home, 'redis.log');
    const child = spawn('redis-server', [
      '--bind', host, '--port', '0', '--tls-port', String(port),
      '--tls-cert-file', certs.serverCert, '--tls-key-file', certs.serverKey, '--tls-ca-cert-file', certs.caCert,
      // Clients authenticate with the ACL user; no client certificate is asked for.
      '--tls-auth-clients', 'no',
      '--aclfile', join(home, 'users.acl'),
      '--save', '', '--appendonly', 'no', '--dir', home, '--logfile', logFile,
    ], { stdio: 'ignore' });
    killOnExit(child);
    const redis = new TlsRedis(port, child);
    try {
      await until(async () => {
        if (!alive(child)) throw new Error(`redis-server exited ${child.exitCode}: ${existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : ''}`);
        return existsSync(logFile) && readFileSync(logFile, 'utf8').includes('Ready to accept connections');
      }, 'redis-server to accept TLS connections', logFile, 20_000);
    } catch (error) {
      await redis.stop();
      throw error;
    }
    return redis;
  }

  get url(): string {
    return `rediss://${host}:${this.port}`;
  }

  stop(): Promise<void> {
    return stop(this.child);
  }
}

/** One KRaft node (broker + controller): clients only on SASL_SSL with SCRAM-SHA-256. */
export class SaslSslKafka {
  private constructor(
    readonly port: number,
    readonly logFile: string,
    private readonly child: ChildProcess,
  ) {}

  static async start(dir: string, certs: TestCertificates, account: Account, libs: string): Promise<SaslSslKafka> {
    const home = join(dir, 'kafka');
    mkdirSync(join(home, 'data'), { recursive: true });
    const [port, controllerPort] = [await freePort(), await freePort()];
    // The broker's key store: its PKCS#8 key, then its certificate.
    const keyStore = join(home, 'broker-keystore.pem');
    writeFileSync(keyStore, certs.read(certs.serverKey) + certs.read(certs.serverCert));
    const jaas = `org.apache.kafka.common.security.scram.ScramLoginModule required username="${account.username}" password="${account.password}";`;
    const properties = join(home, 'server.properties');
    writeFileSync(properties, [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@${host}:${controllerPort}`,
      `listeners=SASL_SSL://${host}:${port},CONTROLLER://${host}:${controllerPort}`,
      `advertised.listeners=SASL_SSL://${host}:${port}`,
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=SASL_SSL',
      'listener.security.protocol.map=CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL',
      'sasl.enabled.mechanisms=SCRAM-SHA-256',
      'sasl.mechanism.inter.broker.protocol=SCRAM-SHA-256',
      `listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=${jaas}`,
      'ssl.keystore.type=PEM',
      `ssl.keystore.location=${keyStore}`,
      'ssl.truststore.type=PEM',
      `ssl.truststore.location=${certs.caCert}`,
      `log.dirs=${join(home, 'data')}`,
      'num.partitions=1',
      'default.replication.factor=1',
      'offsets.topic.replication.factor=1',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      'auto.create.topics.enable=false',
      '',
    ].join('\n'));
    const log4j = join(home, 'log4j.properties');
    const logFile = join(home, 'server.log');
    writeFileSync(log4j, [
      'log4j.rootLogger=INFO, file',
      'log4j.appender.file=org.apache.log4j.FileAppender',
      `log4j.appender.file.File=${logFile}`,
      'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
      'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
      '',
    ].join('\n'));
    const java = (heap: string, ...args: string[]) => ['-Xmx' + heap, `-Dlog4j.configuration=file:${log4j}`, '-cp', `${libs}/*`, ...args];
    const clusterId = execFileSync('java', java('128m', 'kafka.tools.StorageTool', 'random-uuid'), { encoding: 'utf8' }).trim();
    execFileSync('java', java('256m', 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', properties,
      '--add-scram', `SCRAM-SHA-256=[name=${account.username},password=${account.password}]`), { stdio: 'ignore' });
    const child = spawn('java', [...java('384m', '-Xms384m', '-XX:+UseG1GC', '-Djava.awt.headless=true', `-Dkafka.logs.dir=${home}`, 'kafka.Kafka', properties)], { stdio: 'ignore' });
    killOnExit(child);
    const kafka = new SaslSslKafka(port, logFile, child);
    try {
      await until(async () => {
        if (!alive(child)) throw new Error(`the Kafka broker exited ${child.exitCode} (see ${logFile})`);
        return kafka.answers(certs.read(certs.caCert), account);
      }, 'the Kafka broker to answer on SASL_SSL', logFile, 120_000);
    } catch (error) {
      await kafka.stop();
      throw error;
    }
    return kafka;
  }

  get brokers(): string[] {
    return [`${host}:${this.port}`];
  }

  /** True once an authenticated metadata request over TLS succeeds. */
  private async answers(ca: string, account: Account): Promise<boolean> {
    const admin = new kafkajs.Kafka({
      brokers: this.brokers, ssl: { ca: [ca] }, sasl: { mechanism: 'scram-sha-256', ...account },
      logLevel: kafkajs.logLevel.NOTHING, connectionTimeout: 2_000, retry: { retries: 0 },
    }).admin();
    try {
      await admin.connect();
      await admin.listTopics();
      return true;
    } catch {
      return false;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  stop(): Promise<void> {
    return stop(this.child);
  }
}

/**
 * Debian's clickhouse-server (18.16): HTTPS only (`https_port`, no `http_port`; the native
 * port is needed by the server itself and stays on loopback), one user with a password.
 */
export class HttpsClickHouse {
  private constructor(
    readonly port: number,
    private readonly home: string,
  ) {}

  static async start(dir: string, certs: TestCertificates, account: Account): Promise<HttpsClickHouse> {
    const home = join(dir, 'clickhouse');
    for (const sub of ['data', 'tmp', 'log', 'user_files']) mkdirSync(join(home, sub), { recursive: true });
    const [port, tcpPort] = [await freePort(), await freePort()];
    writeFileSync(join(home, 'config.xml'), `<?xml version="1.0"?>
<yandex>
    <logger><level>information</level><log>${home}/log/server.log</log><errorlog>${home}/log/err.log</errorlog></logger>
    <listen_host>${host}</listen_host>
    <https_port>${port}</https_port>
    <tcp_port>${tcpPort}</tcp_port>
    <openSSL>
        <server>
            <certificateFile>${certs.serverCert}</certificateFile>
            <privateKeyFile>${certs.serverKey}</privateKeyFile>
            <verificationMode>none</verificationMode>
            <loadDefaultCAFile>false</loadDefaultCAFile>
            <disableProtocols>sslv2,sslv3</disableProtocols>
            <preferServerCiphers>true</preferServerCiphers>
        </server>
    </openSSL>
    <path>${home}/data/</path>
    <tmp_path>${home}/tmp/</tmp_path>
    <user_files_path>${home}/user_files/</user_files_path>
    <users_config>${home}/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <mark_cache_size>67108864</mark_cache_size>
    <timezone>UTC</timezone>
    <mlock_executable>false</mlock_executable>
</yandex>
`);
    writeFileSync(join(home, 'users.xml'), `<?xml version="1.0"?>
<yandex>
    <profiles><default><max_memory_usage>1000000000</max_memory_usage><allow_experimental_low_cardinality_type>1</allow_experimental_low_cardinality_type></default></profiles>
    <users>
        <${account.username}><password>${account.password}</password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></${account.username}>
    </users>
    <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`);
    // --daemon forks and writes the pid file; the server is ours to stop through it.
    execFileSync('clickhouse-server', [`--config-file=${join(home, 'config.xml')}`, `--pid-file=${join(home, 'clickhouse.pid')}`, '--daemon'], { cwd: home, stdio: 'ignore' });
    const clickhouse = new HttpsClickHouse(port, home);
    const killOnExit = () => clickhouse.killSync();
    process.once('exit', killOnExit);
    try {
      await until(async () => {
        const log = join(home, 'log', 'server.log');
        return existsSync(log) && readFileSync(log, 'utf8').includes('Ready for connections');
      }, 'clickhouse-server to listen on HTTPS', join(home, 'log'), 60_000);
    } catch (error) {
      await clickhouse.stop();
      throw error;
    }
    return clickhouse;
  }

  get url(): string {
    return `https://${host}:${this.port}`;
  }

  private pid(): number | null {
    const file = join(this.home, 'clickhouse.pid');
    if (!existsSync(file)) return null;
    const pid = Number(readFileSync(file, 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0) return null;
    // Guard against pid reuse: the process must be ours (its command line names our home).
    const cmdline = existsSync(`/proc/${pid}/cmdline`) ? readFileSync(`/proc/${pid}/cmdline`, 'utf8') : '';
    return cmdline.includes(this.home) ? pid : null;
  }

  killSync(): void {
    const pid = this.pid();
    if (pid !== null) process.kill(pid, 'SIGKILL');
  }

  async stop(): Promise<void> {
    const pid = this.pid();
    if (pid === null) return;
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + 20_000;
    while (this.pid() !== null) {
      if (Date.now() > deadline) {
        this.killSync();
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
