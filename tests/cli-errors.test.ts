/**
 * What a user sees when a `clv` command cannot run as typed: one line on stderr naming the
 * flag or input and what would be accepted, no stack trace, and exit code 2 for every usage
 * error (commander's own included); 1 is kept for failures while running (cli/exit-codes.ts).
 * Each case spawns the CLI as a user would (tsx, no build).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { cdnowAvailable, cdnowPath, cdnowSkipMessage } from './support/cdnow.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = path.join(root, 'tests', 'fixtures', 'transactions');
const CDNOW_FIXTURE = path.join(fixtures, 'small-shop.cdnow.txt');
const CSV_FIXTURE = path.join(fixtures, 'small-shop.csv');

interface Run { code: number; stdout: string; stderr: string }

async function clv(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(root, 'cli', 'clv.ts'), ...args], {
      cwd: root, env: { ...process.env, CLV_LOG_LEVEL: 'warn', ...env }, timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** A usage error: exit 2, one line on stderr matching every pattern, no stack trace. */
function assertUsageError(r: Run, ...patterns: RegExp[]): void {
  assert.equal(r.code, 2, `exit code; stderr:\n${r.stderr}`);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line, got:\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  for (const p of patterns) assert.match(lines[0], p);
}

const out = () => path.join(mkdtempSync(path.join(tmpdir(), 'clv-cli-errors-')), 'out');
const evaluate = (...args: string[]) => ['evaluate', '--input', CDNOW_FIXTURE, '--out', out(), ...args];

test('evaluate: a holdout end after the last transaction is refused, naming the flag and the last date', async () => {
  const r = await clv(evaluate('--format', 'cdnow', '--calibration-end', '1997-09-30', '--holdout-end', '1999-12-31'));
  assertUsageError(r, /--holdout-end 1999-12-31/, /1998-06-30/);
});

test('evaluate: a calibration end before the first purchase is refused, naming the flag and the first date', async () => {
  const r = await clv(evaluate('--format', 'cdnow', '--calibration-end', '1996-06-30', '--holdout-end', '1998-06-30'));
  assertUsageError(r, /--calibration-end 1996-06-30/, /1997-01-01/);
});

test('evaluate: --out naming an existing file is refused before anything runs', async () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'clv-cli-errors-')), 'taken');
  writeFileSync(file, 'not a directory');
  const r = await clv(['evaluate', '--input', CDNOW_FIXTURE, '--calibration-end', '1997-09-30', '--holdout-end', '1998-06-30', '--out', file]);
  assertUsageError(r, /--out/, /is a file/, /director/);
});

test('evaluate: --format csv on a CDNOW file says which format it looks like', async () => {
  const r = await clv(evaluate('--format', 'csv', '--calibration-end', '1997-09-30', '--holdout-end', '1998-06-30'));
  assertUsageError(r, /missing column "customer_id"/, /--format cdnow/);
});

test('evaluate: an unknown --format names the accepted ones', async () => {
  const r = await clv(evaluate('--format', 'xml', '--calibration-end', '1997-09-30', '--holdout-end', '1998-06-30'));
  assertUsageError(r, /--format/, /auto/, /cdnow/, /csv/);
});

test('evaluate: a missing --input is one line with the usage exit code, not the help', async () => {
  const r = await clv(['evaluate', '--calibration-end', '1997-09-30', '--holdout-end', '1998-06-30', '--out', out()]);
  assertUsageError(r, /--input/, /clv evaluate --help/);
});

test('commander errors are one line with the usage exit code: unknown option, unknown command, missing value, no command', async () => {
  assertUsageError(await clv(evaluate('--calibration-end', '1997-09-30', '--holdout-end', '1998-06-30', '--colour', 'red')), /unknown option '--colour'/);
  assertUsageError(await clv(['evalute']), /unknown command 'evalute'/, /evaluate/);
  assertUsageError(await clv(['evaluate', '--input']), /--input/, /argument missing/);
  assertUsageError(await clv([]), /command/, /demo/, /evaluate/);
  assertUsageError(await clv(['models']), /list/, /promote/, /rollback/);
});

test('--help is not an error: exit 0 with the help on stdout', async () => {
  const r = await clv(['evaluate', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /--calibration-end/);
});

test('demo: a calibration end after the holdout end is refused up front, not after the pipeline ran', async () => {
  const r = await clv(['demo', '--input', CDNOW_FIXTURE, '--calibration-end', '1998-06-30', '--holdout-end', '1998-05-22']);
  assertUsageError(r, /--holdout-end 1998-05-22/, /after --calibration-end 1998-06-30/);
});

test('demo: a malformed date names the flag and the form it takes', async () => {
  assertUsageError(await clv(['demo', '--input', CDNOW_FIXTURE, '--calibration-end', '1997-13-45']), /--calibration-end/, /YYYY-MM-DD/, /1997-13-45/);
  assertUsageError(await clv(['demo', '--input', CSV_FIXTURE, '--calibration-end', '1997-09-30', '--holdout-end', '30/06/1998']), /--holdout-end/, /YYYY-MM-DD/);
});

test('demo: dates outside the file are refused like evaluate\'s', async () => {
  const r = await clv(['demo', '--input', CSV_FIXTURE, '--calibration-end', '1997-09-30', '--holdout-end', '1999-12-31']);
  assertUsageError(r, /--holdout-end 1999-12-31/, /1998-06-30/);
});

test('demo: calibration and holdout dates without --input are refused (the synthetic history has its own)', async () => {
  assertUsageError(await clv(['demo', '--calibration-end', '2024-01-31']), /--calibration-end/, /--input/);
});

test('demo: --out naming an existing file is refused before the pipeline runs', async () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'clv-cli-errors-')), 'taken');
  writeFileSync(file, 'not a directory');
  assertUsageError(await clv(['demo', '--input', CDNOW_FIXTURE, '--out', file]), /--out/, /is a file/);
});

test('replay: an unknown --format is refused before anything is published', async () => {
  assertUsageError(await clv(['replay', '--input', CDNOW_FIXTURE, '--format', 'xml']), /--format/, /auto, cdnow, csv/);
});

const sample = 'CDNOW_sample.txt';
test('evaluate detects a CDNOW file without --format and says so', { skip: cdnowAvailable(sample) ? false : cdnowSkipMessage(sample) }, async () => {
  const dir = out();
  const r = await clv(['evaluate', '--input', cdnowPath(sample), '--calibration-end', '1997-09-30', '--holdout-end', '1998-06-30', '--out', dir]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /cdnow \(detected\)/);
  assert.deepEqual(readdirSync(dir).sort(), ['metrics.json', 'predictions.csv']);
  assert.equal(existsSync(path.join(dir, 'metrics.json')), true);
});

test('generate: a malformed or reversed date range names the flag', async () => {
  assertUsageError(await clv(['generate', '--start', '2023-13-01']), /--start must be a date YYYY-MM-DD, got "2023-13-01"/);
  assertUsageError(await clv(['generate', '--start', '2025-01-01', '--end', '2024-01-01']), /--end 2024-01-01 must be after --start 2025-01-01/);
});

test('models promote: a version that is not registered is a usage error', async () => {
  const registry = mkdtempSync(path.join(tmpdir(), 'clv-cli-errors-registry-'));
  assertUsageError(await clv(['models', 'promote', 'v-nosuch'], { CLV_MODEL_REGISTRY_DIR: registry }), /version v-nosuch/, /clv train/);
});

test('a bad transport setting stops clv run, serve and status at start-up: one line naming the setting, nothing contacted', async () => {
  assertUsageError(await clv(['status'], { CLV_KAFKA_TLS: 'true', CLV_KAFKA_TLS_CA_FILE: '/nonexistent/ca.pem' }), /^clv: invalid setting CLV_KAFKA_TLS_CA_FILE="\/nonexistent\/ca\.pem": cannot read it/);
  assertUsageError(await clv(['serve'], { CLV_KAFKA_SASL_MECHANISM: 'gssapi', CLV_KAFKA_SASL_USERNAME: 'u', CLV_KAFKA_SASL_PASSWORD: 'S3cret' }), /CLV_KAFKA_SASL_MECHANISM="gssapi": expected one of scram-sha-256, scram-sha-512, plain/);
  const run = await clv(['run', 'purchases'], { CLV_REDIS_URL: 'rediss://127.0.0.1:6380', CLV_REDIS_TLS_CA_FILE: CSV_FIXTURE });
  assertUsageError(run, /CLV_REDIS_TLS_CA_FILE=".*small-shop\.csv": expected a PEM file with at least one -----BEGIN CERTIFICATE----- block/);
});
