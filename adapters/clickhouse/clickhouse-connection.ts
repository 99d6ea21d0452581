/**
 * A thin wrapper over @clickhouse/client that only takes SQL built by `sql.ts`, learns the
 * server version once at connect (to choose literal quoting or query parameters), and turns
 * every failure into ClvError(DEPENDENCY_FAILED) with a `retriable` verdict.
 *
 * Checked against ClickHouse 18.16: `command` (DDL), `insert` with JSONEachRow and
 * `query` with JSONEachRow work; `query_params` do not (18.16 answers "Unknown setting
 * param_x"), hence the version switch. 18.16 error texts lack the `(TYPE)` suffix the
 * client parses, so the numeric code is read from the message here.
 */
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Config } from '../../config/config.js';
import { ClvError, ErrorCodes } from '../../core/errors.js';
import { quoteIdentifier, renderQuoted, renderWithParams, sql, type SqlFragment } from './sql.js';

/** URL, user, password and CA of a connection: the credentials as settings, not inside the URL (which reaches messages). */
export interface ClickHouseEndpoint {
  /** http:// or https:// (CLV_CLICKHOUSE_URL). */
  url: string;
  /** CLV_CLICKHOUSE_USERNAME / CLV_CLICKHOUSE_PASSWORD; null or absent: the URL's, else `default` without a password. */
  credentials?: { username: string; password: string } | null;
  /** PEM CA bundle of the server's certificate, an https:// URL only (CLV_CLICKHOUSE_TLS_CA_FILE); null or absent: the system's CAs. */
  tlsCa?: string | null;
}

/** The endpoint the settings describe: `ClickHouseConnection.connect({ ...clickhouseConnection(config), … })`. */
export function clickhouseConnection(config: Pick<Config, 'clickhouseUrl' | 'clickhouseCredentials' | 'clickhouseTlsCa'>): ClickHouseEndpoint {
  return { url: config.clickhouseUrl, credentials: config.clickhouseCredentials, tlsCa: config.clickhouseTlsCa };
}

/** @clickhouse/client's url, username, password and tls for an endpoint. */
export function clickhouseClientOptions(endpoint: ClickHouseEndpoint): { url: string; username?: string; password?: string; tls?: { ca_cert: Buffer } } {
  const { url, credentials, tlsCa } = endpoint;
  return {
    url,
    ...(credentials ? { username: credentials.username, password: credentials.password } : {}),
    ...(tlsCa ? { tls: { ca_cert: Buffer.from(tlsCa) } } : {}),
  };
}

export interface ClickHouseConnectionOptions extends ClickHouseEndpoint {
  /** Per-request timeout; inserts of 100k rows take well under a second locally. */
  requestTimeoutMs?: number;
  /** Server settings sent with every request (e.g. insert_distributed_sync for sharded tables). */
  settings?: Readonly<Record<string, string | number>>;
}

/**
 * Server error codes worth retrying: overload, timeouts, network trouble (279: a shard of a
 * Distributed table unreachable), too many parts (the server asks inserts to slow down).
 * Anything else (syntax, unknown table, bad data) fails the same way again.
 */
const TRANSIENT_CODES = new Set([3, 159, 160, 164, 202, 203, 209, 210, 241, 242, 252, 279, 285, 319, 425, 999]);

export class ClickHouseConnection {
  private constructor(
    private readonly client: ClickHouseClient,
    /** e.g. "18.16.1". */
    readonly serverVersion: string,
    /** Server-side `{name:Type}` parameters exist from 19.11 on. */
    readonly supportsQueryParams: boolean,
  ) {}

  static async connect(options: ClickHouseConnectionOptions): Promise<ClickHouseConnection> {
    const client = createClient({
      ...clickhouseClientOptions(options),
      request_timeout: options.requestTimeoutMs ?? 60_000,
      ...(options.settings ? { clickhouse_settings: { ...options.settings } } : {}),
      // Failures reach the caller as ClvErrors carrying the cause; the client's own logging
      // would print the same error a second time.
      log: { level: ClickHouseLogLevel.OFF },
    });
    try {
      const rows = await select<{ v: string }>(client, renderQuoted(sql`SELECT version() AS v`), {});
      const version = rows[0]?.v ?? '';
      return new ClickHouseConnection(client, version, versionAtLeast(version, 19, 11));
    } catch (error) {
      await client.close();
      throw asClvError(error, `cannot reach ClickHouse at ${options.url}`);
    }
  }

  /** DDL and other statements without a result. */
  async command(statement: SqlFragment): Promise<void> {
    const { query, query_params } = this.render(statement);
    try {
      await this.client.command({ query, query_params });
    } catch (error) {
      throw asClvError(error, `ClickHouse command failed: ${query.slice(0, 200)}`);
    }
  }

  /** A SELECT, read as JSONEachRow. 64-bit integers arrive as strings (ClickHouse's JSON default). */
  async select<T>(statement: SqlFragment): Promise<T[]> {
    const { query, query_params } = this.render(statement);
    try {
      return await select<T>(this.client, query, query_params);
    } catch (error) {
      throw asClvError(error, `ClickHouse query failed: ${query.slice(0, 200)}`);
    }
  }

  /**
   * Inserts rows as JSONEachRow into `table` (an `ident(…)`). The client pastes table and
   * columns into `INSERT INTO … (…) FORMAT JSONEachRow`, so both are quoted identifiers here;
   * the row values travel as JSON in the body, never as SQL text.
   */
  async insert(table: SqlFragment, columns: readonly string[], rows: readonly object[]): Promise<void> {
    if (rows.length === 0) return;
    if (table.values.length > 0) throw new ClvError(ErrorCodes.INVALID_EVENT, 'sql: an insert target is an identifier, not a query');
    const target = renderQuoted(table);
    const quoted = columns.map(quoteIdentifier) as [string, ...string[]];
    try {
      await this.client.insert({ table: target, columns: quoted, values: rows as object[], format: 'JSONEachRow' });
    } catch (error) {
      throw asClvError(error, `ClickHouse insert of ${rows.length} rows into ${target} failed`);
    }
  }

  /**
   * A query whose result is written, in the FORMAT the statement names, to `destination` as
   * the server sends it (no parsing: a Native dump keeps every value bit for bit).
   */
  async exportRaw(statement: SqlFragment, destination: Writable): Promise<void> {
    const { query, query_params } = this.render(statement);
    try {
      const result = await this.client.exec({ query, query_params });
      await pipeline(result.stream, destination);
    } catch (error) {
      throw asClvError(error, `ClickHouse export failed: ${query.slice(0, 200)}`);
    }
  }

  /** An `INSERT … FORMAT X` whose data, already in format X, comes from `source`. */
  async importRaw(statement: SqlFragment, source: Readable): Promise<void> {
    const { query, query_params } = this.render(statement);
    try {
      const result = await this.client.exec({ query, query_params, values: source });
      result.stream.resume();
      await new Promise<void>((resolve, reject) => result.stream.on('end', resolve).on('error', reject));
    } catch (error) {
      throw asClvError(error, `ClickHouse import failed: ${query.slice(0, 200)}`);
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private render(statement: SqlFragment): { query: string; query_params?: Record<string, unknown> } {
    if (!this.supportsQueryParams) return { query: renderQuoted(statement) };
    const { query, params } = renderWithParams(statement);
    return { query, query_params: params };
  }
}

async function select<T>(client: ClickHouseClient, query: string, query_params: Record<string, unknown> | undefined): Promise<T[]> {
  const result = await client.query({ query, query_params, format: 'JSONEachRow' });
  return result.json<T>();
}

/** "major.minor[.patch…]" ≥ major.minor. */
export function versionAtLeast(version: string, major: number, minor: number): boolean {
  const [a, b] = version.split('.').map(Number);
  return Number.isFinite(a) && Number.isFinite(b) && (a > major || (a === major && b >= minor));
}

/** Wraps a client or server failure; retriable unless the server said it is a lasting error. */
export function asClvError(error: unknown, context: string): ClvError {
  if (error instanceof ClvError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = /Code: (\d+)/.exec(message);
  const retriable = code === null || TRANSIENT_CODES.has(Number(code[1]));
  return new ClvError(ErrorCodes.DEPENDENCY_FAILED, `${context}: ${message.split('\n')[0].slice(0, 500)}`, { retriable, cause: error });
}
