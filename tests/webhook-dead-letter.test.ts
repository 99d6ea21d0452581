import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { JsonLinesDeadLetter, readDeadLetters, type WebhookDeadLetterRecord } from '../consumers/webhooks/webhook-dead-letter.js';
import { Topics } from '../core/topics.js';

/** A fresh directory, removed when the file's tests end. */
async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function record(endpoint: string, n: number): WebhookDeadLetterRecord {
  return {
    dead_lettered_at: new Date(Date.UTC(2024, 0, 1, 0, 0, n)).toISOString(), endpoint, url: 'http://127.0.0.1:1/hook',
    source: { topic: Topics.scores, partition: 1, firstOffset: String(n), lastOffset: String(n) }, idempotency_key: `key-${n}`,
    attempts: 3, status: 503, reason: 'HTTP 503', response_snippet: 'busy', events: [],
  };
}

test('webhook dead letter: one JSON-lines file per endpoint, created on first write, in write order', async () => {
  const dir = path.join(await tempDir('clv-webhook-dl-'), 'nested', 'dir');
  const sink = new JsonLinesDeadLetter(dir);
  assert.deepEqual(await readDeadLetters(dir, 'crm'), [], 'no file yet');
  // Concurrent writes to one file are serialised, not interleaved.
  await Promise.all([sink.write(record('crm', 1)), sink.write(record('loader', 2)), sink.write(record('crm', 3))]);
  assert.deepEqual(await readDeadLetters(dir, 'crm'), [record('crm', 1), record('crm', 3)]);
  assert.deepEqual(await readDeadLetters(dir, 'loader'), [record('loader', 2)]);
  const text = await readFile(sink.fileOf('crm'), 'utf8');
  assert.equal(text.split('\n').length, 3, 'two lines and a final newline');
  assert.equal(sink.fileOf('crm'), path.join(dir, 'crm.jsonl'));
});

test('webhook dead letter: a failed write rejects and does not block later writes to the file', async () => {
  const dir = path.join(await tempDir('clv-webhook-dl-'), 'dl');
  const sink = new JsonLinesDeadLetter(dir);
  await writeFile(dir, 'a file where the directory should be');
  await assert.rejects(sink.write(record('crm', 1)), /EEXIST|ENOTDIR/);
  await rm(dir);
  await sink.write(record('crm', 2));
  assert.deepEqual(await readDeadLetters(dir, 'crm'), [record('crm', 2)]);
});
