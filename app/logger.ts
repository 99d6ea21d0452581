/** Structured logs (pino) to stderr, so stdout stays for reports and data. */
import { pino, type Logger } from 'pino';
import type { Config } from '../config/config.js';

export function createLogger(level: Config['logLevel']): Logger {
  return pino({ level, base: { service: 'clv-stream' } }, pino.destination(2));
}
