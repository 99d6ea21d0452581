/**
 * Routes kafkajs's log lines to a pino-style logger, so a processor's Kafka chatter lands in
 * the same structured log as everything else, at the level the operator asked for.
 *
 * kafkajs logs at ERROR every error answer a broker gives, including the ones it handles
 * itself while consumer groups form: "the group coordinator is not available" (retried until
 * the coordinator is elected or loaded) and "the group is rebalancing" (the member re-joins).
 * A healthy start of `clv run` logged about 25 of them (tests/fixtures/kafkajs-start-up-log.json).
 * Those answers go to debug and the rebalance kafkajs then does to info; anything else keeps
 * its level, and a coordinator that never comes back still ends in an ERROR crash line.
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
    sink[sinkLevel(namespace, level, message, fields.error)]({ component: 'kafkajs', namespace, ...fields }, message);
  };
}

/**
 * Broker answers (kafkajs's protocol error messages) that kafkajs handles itself while a
 * group's coordinator is elected or loaded, or while the group rebalances: codes 14
 * COORDINATOR_LOAD_IN_PROGRESS, 15 COORDINATOR_NOT_AVAILABLE, 16 NOT_COORDINATOR, 27
 * REBALANCE_IN_PROGRESS.
 */
const EXPECTED_COORDINATION_ANSWERS: ReadonlySet<string> = new Set([
  "The coordinator is loading and hence can't process requests for this group",
  'The group coordinator is not available',
  'This is not the correct coordinator for this group',
  'The group is rebalancing, so a rejoin is needed',
]);

function sinkLevel(namespace: string, level: LogLevelValue, message: string, error: unknown): keyof LogSink {
  const expected = typeof error === 'string' && EXPECTED_COORDINATION_ANSWERS.has(error);
  // The Connection's "Response <Api>(…)" line for one of those answers.
  if (expected && namespace === 'Connection' && message.startsWith('Response ')) return 'debug';
  // The Runner's "The group is rebalancing, re-joining": what kafkajs does about it.
  if (expected && namespace === 'Runner' && level === logLevel.WARN) return 'info';
  return level === logLevel.ERROR ? 'error' : level === logLevel.WARN ? 'warn' : level === logLevel.INFO ? 'info' : 'debug';
}
