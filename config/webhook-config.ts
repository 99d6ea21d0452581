/**
 * Webhook endpoints, read once from the JSON file named by CLV_WEBHOOKS_FILE, validated and
 * frozen. Every problem is reported at once, each naming its entry (`endpoints[1] "crm"`), so
 * a bad file fails start-up with one readable ClvError(INVALID_CONFIG). Secrets are never
 * echoed in messages, only their length.
 *
 * Like every loader in config/, this takes the environment as an argument (only
 * config/environment.ts passes the process environment). `secret: "env:VAR"` is resolved here, at load time.
 */
import { readFileSync } from 'node:fs';
import { Actions, type Action } from '../core/action-policy.js';
import { ClvError, ErrorCodes } from '../core/errors.js';
import { Segments, type Segment } from '../core/segmentation.js';
import { Topics } from '../core/topics.js';
import { value, type Env } from './env.js';

/** The topics a webhook may subscribe to. */
export const WebhookTopics = [Topics.segmentChanges, Topics.scores] as const;
export type WebhookTopic = (typeof WebhookTopics)[number];

/** Which events an endpoint receives; a field left out matches everything. */
export interface WebhookFilter {
  /** The event's (new) `segment` must be one of these. */
  segments: readonly Segment[] | null;
  /** The event's `action` must be one of these. */
  actions: readonly Action[] | null;
}

export interface WebhookEndpoint {
  /** 1–64 of [A-Za-z0-9_-], unique ignoring case: names the consumer group and the dead-letter file. */
  name: string;
  /** http: or https: URL without credentials. */
  url: string;
  /** The HMAC-SHA256 key, ≥ 32 characters (resolved when given as `env:VAR`). */
  secret: string;
  topics: readonly WebhookTopic[];
  filter: WebhookFilter | null;
  /** Per attempt, response body included. */
  timeoutMs: number;
  /** Attempts per request, the first included, before the batch is dead-lettered. */
  maxAttempts: number;
  /** Most events in one POST. */
  maxBatchEvents: number;
  /** Backoff before the second attempt; doubles per attempt, with jitter. */
  initialBackoffMs: number;
  /** Cap on one backoff, Retry-After included. */
  maxBackoffMs: number;
  /** Where a new endpoint's group starts: false (default) = only events published from now on. */
  fromBeginning: boolean;
}

export interface WebhookConfig {
  /** Directory of the per-endpoint dead-letter files (`<name>.jsonl`). */
  deadLetterDir: string;
  endpoints: readonly WebhookEndpoint[];
}

export const WEBHOOKS_FILE_ENV = 'CLV_WEBHOOKS_FILE';

export const webhookDefaults = Object.freeze({
  deadLetterDir: '.clv/webhooks/dead-letter',
  timeoutMs: 10_000,
  maxAttempts: 8,
  maxBatchEvents: 100,
  initialBackoffMs: 1_000,
  maxBackoffMs: 60_000,
});

const MIN_SECRET_LENGTH = 32;
const NAME = /^[A-Za-z0-9_-]{1,64}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TOP_KEYS = ['deadLetterDir', 'endpoints'];
const ENDPOINT_KEYS = ['name', 'url', 'secret', 'topics', 'filter', 'timeoutMs', 'maxAttempts', 'maxBatchEvents', 'initialBackoffMs', 'maxBackoffMs', 'fromBeginning'];
const FILTER_KEYS = ['segments', 'actions'];

/**
 * Reads and validates the file named by CLV_WEBHOOKS_FILE; null when the variable is unset
 * (the bridge is off).
 */
export function loadWebhookConfig(env: Env, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): Readonly<WebhookConfig> | null {
  const file = value(env, WEBHOOKS_FILE_ENV);
  if (file === null) return null;
  let text: string;
  try {
    text = readFile(file);
  } catch (cause) {
    throw new ClvError(ErrorCodes.INVALID_CONFIG, `invalid setting ${WEBHOOKS_FILE_ENV}=${JSON.stringify(file)}: cannot read the file (${(cause as Error).message})`, { cause });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw new ClvError(ErrorCodes.INVALID_CONFIG, `webhook config ${file}: not JSON (${(cause as Error).message})`, { cause });
  }
  return parseWebhookConfig(doc, env, file);
}

/** Validates a parsed config document; `source` names it in errors. */
export function parseWebhookConfig(doc: unknown, env: Env, source: string): Readonly<WebhookConfig> {
  const problems: string[] = [];
  if (!isObject(doc)) throw invalid(source, ['expected an object with "endpoints"']);
  unknownKeys(doc, TOP_KEYS, '', problems);
  let deadLetterDir: string = webhookDefaults.deadLetterDir;
  if (doc.deadLetterDir !== undefined) {
    if (typeof doc.deadLetterDir === 'string' && doc.deadLetterDir.trim() !== '') deadLetterDir = doc.deadLetterDir;
    else problems.push('deadLetterDir: expected a non-empty path');
  }
  const endpoints: WebhookEndpoint[] = [];
  if (!Array.isArray(doc.endpoints) || doc.endpoints.length === 0) {
    problems.push('endpoints: expected a non-empty array');
  } else {
    const seen = new Map<string, number>();
    doc.endpoints.forEach((entry: unknown, i: number) => {
      const where = `endpoints[${i}]` + (isObject(entry) && typeof entry.name === 'string' ? ` ${JSON.stringify(entry.name)}` : '');
      const endpoint = parseEndpoint(entry, env, where, problems);
      if (!endpoint) return;
      const first = seen.get(endpoint.name.toLowerCase());
      if (first !== undefined) problems.push(`${where}: name: duplicates endpoints[${first}] (names are compared ignoring case)`);
      else seen.set(endpoint.name.toLowerCase(), i);
      endpoints.push(endpoint);
    });
  }
  if (problems.length > 0) throw invalid(source, problems);
  return Object.freeze({ deadLetterDir, endpoints: Object.freeze(endpoints) });
}

function parseEndpoint(entry: unknown, env: Env, where: string, problems: string[]): WebhookEndpoint | null {
  if (!isObject(entry)) {
    problems.push(`${where}: expected an object`);
    return null;
  }
  const before = problems.length;
  const p = (field: string, why: string) => problems.push(`${where}.${field}: ${why}`);
  unknownKeys(entry, ENDPOINT_KEYS, `${where}.`, problems);

  const name = typeof entry.name === 'string' ? entry.name : '';
  if (!NAME.test(name)) p('name', 'expected 1–64 letters, digits, "_" or "-"');

  const url = typeof entry.url === 'string' ? entry.url : '';
  const urlProblem = checkUrl(url);
  if (urlProblem) p('url', urlProblem);

  const secret = resolveSecret(entry.secret, env, (why) => p('secret', why));

  const topics: WebhookTopic[] = [];
  if (!Array.isArray(entry.topics) || entry.topics.length === 0) p('topics', `expected a non-empty array of ${WebhookTopics.join(', ')}`);
  else for (const t of entry.topics as unknown[]) {
    if (!(WebhookTopics as readonly unknown[]).includes(t)) p('topics', `unknown topic ${JSON.stringify(t)} (known: ${WebhookTopics.join(', ')})`);
    else if (topics.includes(t as WebhookTopic)) p('topics', `${JSON.stringify(t)} is listed twice`);
    else topics.push(t as WebhookTopic);
  }

  const filter = entry.filter === undefined ? null : parseFilter(entry.filter, `${where}.filter`, problems);
  const int = (field: string, fallback: number, min: number, max: number): number => {
    const v = entry[field];
    if (v === undefined) return fallback;
    if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return v;
    p(field, `expected an integer ≥ ${min} and ≤ ${max}, got ${JSON.stringify(v)}`);
    return fallback;
  };
  const timeoutMs = int('timeoutMs', webhookDefaults.timeoutMs, 100, 300_000);
  const maxAttempts = int('maxAttempts', webhookDefaults.maxAttempts, 1, 30);
  // X-Clv-Event-Ids lists every id: 1,000 ids of ~40 bytes stays within common header limits.
  const maxBatchEvents = int('maxBatchEvents', webhookDefaults.maxBatchEvents, 1, 1_000);
  const initialBackoffMs = int('initialBackoffMs', webhookDefaults.initialBackoffMs, 1, 3_600_000);
  const maxBackoffMs = int('maxBackoffMs', Math.max(webhookDefaults.maxBackoffMs, initialBackoffMs), 1, 3_600_000);
  if (maxBackoffMs < initialBackoffMs) p('maxBackoffMs', `must be ≥ initialBackoffMs (${initialBackoffMs})`);
  let fromBeginning = false;
  if (entry.fromBeginning !== undefined) {
    if (typeof entry.fromBeginning === 'boolean') fromBeginning = entry.fromBeginning;
    else p('fromBeginning', 'expected true or false');
  }
  if (problems.length > before) return null;
  return Object.freeze({ name, url, secret, topics: Object.freeze(topics), filter, timeoutMs, maxAttempts, maxBatchEvents, initialBackoffMs, maxBackoffMs, fromBeginning });
}

function checkUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `expected an http(s) URL, got ${JSON.stringify(url)}`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `expected an http: or https: URL, got ${parsed.protocol}`;
  // fetch refuses URLs with credentials; failing here beats retrying a request that cannot be made.
  if (parsed.username || parsed.password) return 'must not contain credentials (the signature authenticates the bridge)';
  return null;
}

function resolveSecret(raw: unknown, env: Env, fail: (why: string) => void): string {
  if (typeof raw !== 'string') {
    fail(`expected a string of ≥ ${MIN_SECRET_LENGTH} characters or "env:VAR"`);
    return '';
  }
  if (raw.startsWith('env:')) {
    const variable = raw.slice(4);
    if (!ENV_NAME.test(variable)) {
      fail(`"env:" must be followed by an environment variable name, got ${JSON.stringify(variable)}`);
      return '';
    }
    const value = env[variable];
    if (value === undefined || value === '') fail(`environment variable ${variable} is not set`);
    else if (value.length < MIN_SECRET_LENGTH) fail(`environment variable ${variable} holds ${value.length} characters; at least ${MIN_SECRET_LENGTH} are needed`);
    return value ?? '';
  }
  if (raw.length < MIN_SECRET_LENGTH) fail(`has ${raw.length} characters; at least ${MIN_SECRET_LENGTH} are needed (or use "env:VAR")`);
  return raw;
}

function parseFilter(raw: unknown, where: string, problems: string[]): WebhookFilter | null {
  if (!isObject(raw)) {
    problems.push(`${where}: expected an object with "segments" and/or "actions"`);
    return null;
  }
  unknownKeys(raw, FILTER_KEYS, `${where}.`, problems);
  const list = <T extends string>(field: string, known: readonly T[]): readonly T[] | null => {
    const v = raw[field];
    if (v === undefined) return null;
    if (!Array.isArray(v) || v.length === 0) {
      problems.push(`${where}.${field}: expected a non-empty array of ${known.join(', ')}`);
      return null;
    }
    for (const item of v) if (!(known as readonly unknown[]).includes(item)) problems.push(`${where}.${field}: unknown value ${JSON.stringify(item)} (known: ${known.join(', ')})`);
    return Object.freeze([...new Set(v as T[])]);
  };
  return Object.freeze({ segments: list('segments', Segments), actions: list('actions', Actions) });
}

function unknownKeys(o: Record<string, unknown>, known: string[], prefix: string, problems: string[]): void {
  for (const key of Object.keys(o)) if (!known.includes(key)) problems.push(`${prefix}${key}: unknown setting (known: ${known.join(', ')})`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function invalid(source: string, problems: string[]): ClvError {
  return new ClvError(ErrorCodes.INVALID_CONFIG, `invalid webhook config ${source}: ${problems.join('; ')}`);
}
