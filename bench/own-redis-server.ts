/**
 * A redis-server of the bench's own, on a free loopback port in a temp dir, without
 * persistence: empty at the start, so `used_memory` before and after is the bench's alone,
 * and nobody else's server is written to or flushed. Debian's `redis-server` (what
 * `npm run services:up` installs) must be on the PATH.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { freePort } from './free-port.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

export class OwnRedisServer {
  private constructor(
    readonly url: string,
    readonly version: string,
    private readonly child: ChildProcess,
    private readonly dir: string,
  ) {}

  static async start(name: string): Promise<OwnRedisServer> {
    const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) throw new Error('redis-server is not on the PATH: `npm run services:up` installs it (Debian package redis-server)');
    const version = /v=(\S+)/.exec(probe.stdout)?.[1] ?? 'unknown';
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), `clv-bench-redis-${name}-`));
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--logfile', join(dir, 'redis.log')], { stdio: 'ignore' });
    child.on('error', () => undefined);
    const url = `redis://127.0.0.1:${port}`;
    const server = new OwnRedisServer(url, version, child, dir);
    // Until it answers (or gives up after 10 s).
    for (let i = 0; ; i++) {
      const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.ping();
        client.disconnect();
        return server;
      } catch (error) {
        client.disconnect();
        if (i >= 100 || child.exitCode !== null) {
          await server.stop();
          throw new Error(`redis-server on port ${port} did not start: ${error instanceof Error ? error.message : String(error)}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  /** Kills the server (its data goes with it) and removes its directory. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGKILL');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

