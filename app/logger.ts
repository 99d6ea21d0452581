/**
 * Structured logs (pino) to stderr, so stdout stays for reports and data.
 *
 * Secrets never reach a line: fields named like credentials are censored by pino's redaction
 * (paths up to three levels deep: headers, configs, request objects), and every written line
 * goes through core/redact-secrets.ts, which masks URL passwords and credential query
 * parameters wherever they sit (messages, error messages and causes, stacks).
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from '../config/config.js';
import { redactSecrets } from '../core/redact-secrets.js';

const SECRET_KEYS = [
  'authorization', 'cookie', 'set-cookie', '"x-api-key"', 'apiKey', 'api_key', 'apiKeys',
  'password', 'secret', 'jwt', 'jwtSecret', 'token', 'accessToken', 'access_token',
  // TLS key material and SASL (config/transport-config.ts): `privateKey` of a CertificateAndKey, kafkajs's `sasl`.
  'privateKey', 'passphrase', 'sasl',
];
/** Each key at the top level and up to three objects down (`headers.authorization`, `req.headers.cookie`, `config.jwt.secret`). */
export const REDACTED_PATHS = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`].map((p) => p.replace(/\.("[^"]+")/g, '[$1]')));

export function createLogger(level: Config['logLevel'], destination: DestinationStream | NodeJS.WritableStream = pino.destination(2)): Logger {
  const masked: DestinationStream = { write: (line: string) => void destination.write(redactSecrets(line)) };
  return pino({ level, base: { service: 'clv-stream' }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, masked);
}
