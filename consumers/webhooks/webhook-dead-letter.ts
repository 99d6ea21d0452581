/**
 * Per-endpoint dead-letter: requests that were given up on (a 4xx, or every attempt failed),
 * kept so an operator can see why and re-send them.
 *
 * Why files and not a topic: the event log's topics carry Avro values whose schemas live in
 * `schemas/` and the registry, and these records (a whole request plus the failure) have
 * none; a topic per endpoint would also have to be created when an endpoint is added. A
 * JSON-lines file per endpoint is readable with `jq`, needs no schema, and appending one
 * line is atomic on a local file system. The record is fsynced before `write` resolves, and
 * the bridge commits the log offsets only after that: a request is either acknowledged by
 * the endpoint, in this file, or still in the log. In Kubernetes, put the directory on a
 * persistent volume.
 */
import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { WebhookBatchSource, WebhookEvent } from './webhook-batch.js';

export interface WebhookDeadLetterRecord {
  /** ISO time it was dead-lettered. */
  dead_lettered_at: string;
  endpoint: string;
  url: string;
  source: WebhookBatchSource;
  idempotency_key: string;
  attempts: number;
  /** HTTP status of the last attempt, null when no response came. */
  status: number | null;
  reason: string;
  /** Start of the last response's body. */
  response_snippet: string | null;
  /** The body's events, in order: `JSON.stringify({ events })` is the body that was sent. */
  events: WebhookEvent[];
}

/** Where given-up requests go. Resolving means the record is durable. */
export interface WebhookDeadLetter {
  write(record: WebhookDeadLetterRecord): Promise<void>;
}

/** One `<endpoint>.jsonl` per endpoint under `dir` (created when missing). */
export class JsonLinesDeadLetter implements WebhookDeadLetter {
  /** Serialises writes per file within this process. */
  private readonly tails = new Map<string, Promise<void>>();

  constructor(private readonly dir: string) {}

  /** Endpoint names are validated to [A-Za-z0-9_-], so they are safe file names. */
  fileOf(endpoint: string): string {
    return path.join(this.dir, `${endpoint}.jsonl`);
  }

  write(record: WebhookDeadLetterRecord): Promise<void> {
    const file = this.fileOf(record.endpoint);
    const line = JSON.stringify(record) + '\n';
    const next = (this.tails.get(file) ?? Promise.resolve()).catch(() => {}).then(() => appendDurably(this.dir, file, line));
    this.tails.set(file, next);
    return next;
  }
}

/** The records of one endpoint's file, oldest first; [] when there are none. */
export async function readDeadLetters(dir: string, endpoint: string): Promise<WebhookDeadLetterRecord[]> {
  let text: string;
  try {
    text = await readFile(new JsonLinesDeadLetter(dir).fileOf(endpoint), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as WebhookDeadLetterRecord);
}

async function appendDurably(dir: string, file: string, line: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const handle = await open(file, 'a');
  try {
    await handle.write(line);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}
