/**
 * Encrypted and authenticated transport to Kafka, Redis and ClickHouse, read once from
 * environment variables. Certificate, key and password files are read here, at start-up
 * (config/secret-files.ts), so a wrong path stops the process naming the variable.
 *
 * Credentials travel as settings rather than inside URLs: URLs reach messages (redacted by
 * core/redact-secrets.ts, but a setting never has to be). Passwords sit in `{ username,
 * password }` objects, a key the root logger's redaction list censors wherever it is logged.
 */
import { ClvError, ErrorCodes } from '../core/errors.js';
import { bool, oneOf, value, type Env } from './env.js';
import { caFile, certificateAndKey, passwordSetting, type CertificateAndKey, type ReadFile } from './secret-files.js';

/** kafkajs's SASL mechanisms: SCRAM (RFC 5802 / RFC 7677) never sends the password; PLAIN does, so it needs TLS. */
export const KafkaSaslMechanisms = ['scram-sha-256', 'scram-sha-512', 'plain'] as const;
export type KafkaSaslMechanism = (typeof KafkaSaslMechanisms)[number];

export interface Credentials {
  username: string;
  password: string;
}

export interface KafkaTls {
  /** PEM CA bundle the brokers' certificates must chain to; null: the system's CAs. */
  ca: string | null;
  /** Client certificate and key for mutual TLS; null: none. */
  client: CertificateAndKey | null;
}

export interface TransportConfig {
  /** CLV_KAFKA_TLS (+ CLV_KAFKA_TLS_CA_FILE, CLV_KAFKA_TLS_CERT_FILE, CLV_KAFKA_TLS_KEY_FILE); null: plaintext. */
  kafkaTls: KafkaTls | null;
  /** CLV_KAFKA_SASL_MECHANISM, CLV_KAFKA_SASL_USERNAME, CLV_KAFKA_SASL_PASSWORD(_FILE); null: no SASL. */
  kafkaSasl: ({ mechanism: KafkaSaslMechanism } & Credentials) | null;
  /** CLV_REDIS_TLS_CA_FILE (a rediss:// URL only): the CA of Redis's certificate; null: the system's CAs. */
  redisTlsCa: string | null;
  /**
   * CLV_REDIS_USERNAME (an ACL user, Redis 6+) and CLV_REDIS_PASSWORD(_FILE); null: none, or
   * what the URL carries. A password without a user authenticates as `default`.
   */
  redisCredentials: { username: string | null; password: string } | null;
  /** CLV_CLICKHOUSE_USERNAME and CLV_CLICKHOUSE_PASSWORD(_FILE); null: the URL's, else ClickHouse's `default` without a password. */
  clickhouseCredentials: Credentials | null;
  /** CLV_CLICKHOUSE_TLS_CA_FILE (an https:// URL only): the CA of ClickHouse's certificate; null: the system's CAs. */
  clickhouseTlsCa: string | null;
}

function invalid(message: string): never {
  throw new ClvError(ErrorCodes.INVALID_CONFIG, `invalid settings: ${message}`);
}

export function loadTransportConfig(env: Env, urls: { redisUrl: string; clickhouseUrl: string }, readFile: ReadFile): TransportConfig {
  return { ...kafkaTransport(env, readFile), ...redisTransport(env, urls.redisUrl, readFile), ...clickhouseTransport(env, urls.clickhouseUrl, readFile) };
}

function kafkaTransport(env: Env, readFile: ReadFile): Pick<TransportConfig, 'kafkaTls' | 'kafkaSasl'> {
  const tlsOn = bool(env, 'CLV_KAFKA_TLS', false);
  const needsTls = tlsOn ? null : 'CLV_KAFKA_TLS=true';
  const ca = caFile(env, 'CLV_KAFKA_TLS_CA_FILE', needsTls, readFile);
  if (!tlsOn && (value(env, 'CLV_KAFKA_TLS_CERT_FILE') !== null || value(env, 'CLV_KAFKA_TLS_KEY_FILE') !== null)) {
    invalid('CLV_KAFKA_TLS_CERT_FILE / CLV_KAFKA_TLS_KEY_FILE need CLV_KAFKA_TLS=true');
  }
  const client = certificateAndKey(env, 'CLV_KAFKA_TLS_CERT_FILE', 'CLV_KAFKA_TLS_KEY_FILE', readFile);

  const mechanism = value(env, 'CLV_KAFKA_SASL_MECHANISM') === null ? null : oneOf(env, 'CLV_KAFKA_SASL_MECHANISM', 'scram-sha-512', KafkaSaslMechanisms);
  const username = value(env, 'CLV_KAFKA_SASL_USERNAME');
  const password = passwordSetting(env, 'CLV_KAFKA_SASL_PASSWORD', readFile);
  if (mechanism === null) {
    if (username !== null || password !== null) invalid('CLV_KAFKA_SASL_USERNAME / CLV_KAFKA_SASL_PASSWORD need CLV_KAFKA_SASL_MECHANISM (scram-sha-512, scram-sha-256 or plain)');
    return { kafkaTls: tlsOn ? { ca, client } : null, kafkaSasl: null };
  }
  if (username === null || password === null) invalid(`CLV_KAFKA_SASL_MECHANISM=${mechanism} needs CLV_KAFKA_SASL_USERNAME and CLV_KAFKA_SASL_PASSWORD (or CLV_KAFKA_SASL_PASSWORD_FILE)`);
  // PLAIN sends the password as it is: only inside TLS.
  if (mechanism === 'plain' && !tlsOn) invalid('CLV_KAFKA_SASL_MECHANISM=plain sends the password in clear: it needs CLV_KAFKA_TLS=true (or use scram-sha-512)');
  return { kafkaTls: tlsOn ? { ca, client } : null, kafkaSasl: { mechanism, username, password } };
}

function redisTransport(env: Env, redisUrl: string, readFile: ReadFile): Pick<TransportConfig, 'redisTlsCa' | 'redisCredentials'> {
  const url = new URL(redisUrl);
  const username = value(env, 'CLV_REDIS_USERNAME');
  const password = passwordSetting(env, 'CLV_REDIS_PASSWORD', readFile);
  if ((username !== null || password !== null) && (url.username !== '' || url.password !== '')) {
    invalid('Redis credentials are both in CLV_REDIS_URL and in CLV_REDIS_USERNAME / CLV_REDIS_PASSWORD: keep them in the settings only (they keep them out of the URL)');
  }
  if (username !== null && password === null) invalid('CLV_REDIS_USERNAME needs CLV_REDIS_PASSWORD (or CLV_REDIS_PASSWORD_FILE)');
  return {
    redisTlsCa: caFile(env, 'CLV_REDIS_TLS_CA_FILE', url.protocol === 'rediss:' ? null : 'a rediss:// CLV_REDIS_URL', readFile),
    redisCredentials: password === null ? null : { username, password },
  };
}

function clickhouseTransport(env: Env, clickhouseUrl: string, readFile: ReadFile): Pick<TransportConfig, 'clickhouseTlsCa' | 'clickhouseCredentials'> {
  const url = new URL(clickhouseUrl);
  const username = value(env, 'CLV_CLICKHOUSE_USERNAME');
  const password = passwordSetting(env, 'CLV_CLICKHOUSE_PASSWORD', readFile);
  if ((username !== null || password !== null) && (url.username !== '' || url.password !== '')) {
    invalid('ClickHouse credentials are both in CLV_CLICKHOUSE_URL and in CLV_CLICKHOUSE_USERNAME / CLV_CLICKHOUSE_PASSWORD: keep them in the settings only (they keep them out of the URL)');
  }
  if (username === null && password !== null) invalid('CLV_CLICKHOUSE_PASSWORD needs CLV_CLICKHOUSE_USERNAME (e.g. default)');
  return {
    clickhouseTlsCa: caFile(env, 'CLV_CLICKHOUSE_TLS_CA_FILE', url.protocol === 'https:' ? null : 'an https:// CLV_CLICKHOUSE_URL', readFile),
    // A user without a password: ClickHouse users may have none (the `default` user of a fresh install).
    clickhouseCredentials: username === null ? null : { username, password: password ?? '' },
  };
}
