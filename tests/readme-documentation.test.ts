/**
 * The README's documentation table links every document in docs/, and only documents that
 * exist: a handover document nobody can find from the README is as good as missing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);

test('the README documentation table links every docs/*.md, and each link exists', () => {
  const readme = readFileSync(new URL('README.md', root), 'utf8');
  const start = readme.indexOf('\n## Documentation\n');
  assert.ok(start >= 0, 'README has a "## Documentation" section');
  const section = readme.slice(start + 1).split(/\n## /)[0];
  const linked = [...section.matchAll(/\]\((docs\/[^)#]+\.md)\)/g)].map((m) => m[1]);
  const docs = readdirSync(new URL('docs/', root)).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`);
  assert.deepEqual(docs.filter((d) => !linked.includes(d)), [], 'documents missing from the README table');
  assert.deepEqual(linked.filter((l) => !existsSync(new URL(l, root))), [], 'README links to missing documents');
});
