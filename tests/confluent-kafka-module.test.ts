import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { confluentBuildDir, loadConfluentKafka } from '../adapters/kafka/confluent-kafka-module.js';
import { ClvError, ErrorCodes } from '../core/errors.js';

test('the build directory is a fixed folder under the tools directory', () => {
  assert.equal(confluentBuildDir('/opt/tools'), join('/opt/tools', 'confluent-kafka-javascript'));
});

test('without the client in the build directory or the project, loading names CLV_KAFKA_CLIENT and how to build it', (t) => {
  const empty = mkdtempSync(join(tmpdir(), 'clv-no-confluent-'));
  t.after(() => rmSync(empty, { recursive: true, force: true }));
  let loaded: unknown = null;
  try {
    loaded = loadConfluentKafka(empty);
  } catch (error) {
    assert.ok(error instanceof ClvError);
    assert.equal(error.code, ErrorCodes.INVALID_CONFIG);
    assert.match(error.message, /^CLV_KAFKA_CLIENT=confluent: @confluentinc\/kafka-javascript is not installed .*npm run kafka:confluent.*CLV_KAFKA_CLIENT=kafkajs$/);
    return;
  }
  // Installed in the project itself (npm install where its binary downloads): then it must be the client.
  assert.equal(typeof (loaded as { KafkaJS?: { Kafka?: unknown } }).KafkaJS?.Kafka, 'function');
});

test('a relative build directory (CLV_TOOLS_DIR=.tools) is looked up from the working directory, not refused', () => {
  try {
    loadConfluentKafka('no-such-tools-dir/confluent-kafka-javascript');
  } catch (error) {
    assert.ok(error instanceof ClvError);
    assert.doesNotMatch(error.message, /must be a file URL|absolute path/);
    assert.match(error.message, /Cannot find module '@confluentinc\/kafka-javascript'/);
    return;
  }
  // Resolved from the project instead (installed there): nothing to check about the directory.
});
