/**
 * docs/runbook.md has a recovery entry (a `### Name` heading under "## Alerts") for every alert
 * in monitoring/rules/*.yml, and none for an alert that does not exist; each links to the
 * alert's diagnosis in docs/monitoring.md. And the procedures the code's own messages point
 * at are there.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';

const root = new URL('../', import.meta.url);
const runbook = readFileSync(new URL('docs/runbook.md', root), 'utf8');

function alertNames(): string[] {
  const dir = new URL('monitoring/rules/', root);
  return readdirSync(dir).filter((f) => f.endsWith('.yml')).flatMap((f) => {
    const doc = parse(readFileSync(new URL(f, dir), 'utf8')) as { groups: Array<{ rules: Array<{ alert?: string }> }> };
    return doc.groups.flatMap((g) => g.rules.flatMap((r) => (r.alert ? [r.alert] : [])));
  });
}

/** The `### ` headings of a `## ` section. */
function entries(section: string): string[] {
  const start = runbook.indexOf(`\n## ${section}\n`);
  assert.ok(start >= 0, `docs/runbook.md has a "## ${section}" section`);
  const body = runbook.slice(start + section.length + 5).split(/\n## /)[0];
  return [...body.matchAll(/^### (.+)$/gm)].map((m) => m[1].trim());
}

test('every alert in monitoring/rules has a runbook entry, and every entry is an alert', () => {
  const alerts = alertNames();
  assert.ok(alerts.length > 0, 'the rules define alerts');
  assert.deepEqual([...entries('Alerts')].sort(), [...new Set(alerts)].sort());
});

test('each alert entry links to its diagnosis in docs/monitoring.md, which has that section', () => {
  const monitoring = readFileSync(new URL('docs/monitoring.md', root), 'utf8');
  for (const alert of alertNames()) {
    const entry = runbook.split(`\n### ${alert}\n`)[1]?.split('\n### ')[0] ?? '';
    assert.ok(entry.includes(`(monitoring.md#${alert.toLowerCase()})`), `${alert}: links monitoring.md#${alert.toLowerCase()}`);
    assert.ok(monitoring.includes(`\n### ${alert}\n`), `${alert}: docs/monitoring.md has its section`);
  }
});

test('the procedures are there: replay, rebuild Redis, roll back a model, erase a customer', () => {
  assert.deepEqual(entries('Procedures'), ['Replay', 'Rebuild Redis', 'Roll back a model', 'Erase a customer']);
});
