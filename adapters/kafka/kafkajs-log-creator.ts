/**
 * Routes kafkajs's log lines to a pino-style logger, so a processor's Kafka chatter lands in
 * the same structured log as everything else, at the level the operator asked for.
 */
import kafkajs from 'kafkajs';
import type { logCreator, logLevel as LogLevelValue } from 'kafkajs';

const { logLevel } = kafkajs;

/** The subset of a pino logger the Kafka adapter writes to: `logger.warn(fields, message)`. */
export interface LogSink {
  error(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  info(fields: object, message: string): void;
  debug(fields: object, message: string): void;
}

export type KafkaLogLevel = 'nothing' | 'error' | 'warn' | 'info' | 'debug';

/** kafkajs's numeric level for one of ours (kafkajs skips INFO=3: ERROR 1, WARN 2, INFO 4, DEBUG 5). */
export function kafkajsLogLevel(level: KafkaLogLevel): LogLevelValue {
  switch (level) {
    case 'nothing': return logLevel.NOTHING;
    case 'error': return logLevel.ERROR;
    case 'warn': return logLevel.WARN;
    case 'info': return logLevel.INFO;
    case 'debug': return logLevel.DEBUG;
  }
}

/**
 * A kafkajs `logCreator` writing to `sink`. kafkajs has already filtered by level when it calls
 * the returned function. Its `timestamp` is dropped: the sink stamps its own.
 */
export function kafkajsLogCreator(sink: LogSink): logCreator {
  return () => ({ namespace, level, log }) => {
    const { message, timestamp: _timestamp, ...fields } = log;
    const method = level === logLevel.ERROR ? 'error' : level === logLevel.WARN ? 'warn' : level === logLevel.INFO ? 'info' : 'debug';
    sink[method]({ component: 'kafkajs', namespace, ...fields }, message);
  };
}
