/**
 * The README quotes the demo's report; the figures must be the report's, not typed: every
 * line of the excerpt is in docs/demo-report.txt, which scripts/docs/demo-report.sh writes
 * from a run and `--check` (in .ci/run) compares with a fresh one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const report = readFileSync(new URL('../docs/demo-report.txt', import.meta.url), 'utf8');

test('every line the README quotes from the demo report is in docs/demo-report.txt', () => {
  const marker = readme.indexOf('<!-- demo-report excerpt');
  assert.ok(marker >= 0, 'the README has its demo-report excerpt');
  const block = /```text\n([\s\S]*?)```/.exec(readme.slice(marker));
  assert.ok(block, 'a text block follows the marker');
  const lines = block[1].split('\n').filter((l) => l.trim() !== '');
  assert.ok(lines.length >= 5, `${lines.length} lines quoted`);
  const reportLines = new Set(report.split('\n'));
  for (const line of lines) assert.ok(reportLines.has(line), `not in docs/demo-report.txt: ${line}`);
});

test('the report is of the default demo: 20,000 synthetic customers, seed 1', () => {
  assert.match(report, /^source +synthetic history: 20,000 customers, 2023-01-01 to 2025-06-30, seed 1$/m);
});
