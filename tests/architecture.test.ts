/**
 * The folder tree is the architecture (README "Layout", docs/architecture.md): each top-level
 * folder is one kind of thing and imports only point down. These tests walk the sources and
 * fail on an import that runs upward, on `process.env` read outside config/environment.ts,
 * and on README tables that no longer list every folder, command and setting.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSettings } from '../config/settings.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * What each source folder may import besides itself. Lower layers first: the domain (core)
 * and the pure models know nothing above them; adapters know the ports they implement;
 * composition roots (app) may use everything below the CLI.
 */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  core: [],
  config: ['core'],
  models: ['core'],
  producers: ['core'],
  processors: ['core', 'models'],
  adapters: ['core', 'config'],
  consumers: ['core', 'config'],
  evaluation: ['core', 'models', 'producers', 'processors'],
  forecasting: ['core', 'models', 'processors'],
  training: ['core', 'config', 'models', 'processors', 'evaluation', 'forecasting'],
  'read-model': ['core', 'models', 'processors', 'forecasting'],
  metrics: ['core', 'processors'],
  reconciliation: ['core'],
  anomalies: ['core'],
  api: ['core', 'config', 'metrics'],
  app: ['core', 'config', 'models', 'producers', 'processors', 'adapters', 'consumers', 'evaluation', 'forecasting', 'training', 'read-model', 'metrics', 'api', 'reconciliation', 'anomalies'],
  cli: ['core', 'config', 'producers', 'evaluation', 'training', 'adapters', 'app'],
  bench: ['core', 'config', 'models', 'producers', 'processors', 'adapters', 'consumers', 'evaluation', 'forecasting', 'training', 'read-model', 'metrics', 'api', 'reconciliation', 'anomalies', 'app'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Relative import specifiers of a file (static and dynamic), comments stripped. */
function importsOf(file: string): string[] {
  const text = withoutComments(readFileSync(join(root, file), 'utf8'));
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]);
}

function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

test('every source folder is in the layer table, and the layer table names only real folders', () => {
  const folders = readdirSync(root).filter((f) => statSync(join(root, f)).isDirectory() && sourceFiles(f).length > 0 && !['node_modules', 'dist', 'tests', 'scripts'].includes(f) && !f.startsWith('.'));
  assert.deepEqual(folders.sort(), Object.keys(MAY_IMPORT).sort());
});

test('no import runs upward: each folder imports only itself and the layers below it', () => {
  const upward: string[] = [];
  for (const [folder, allowed] of Object.entries(MAY_IMPORT)) {
    for (const file of sourceFiles(folder)) {
      for (const spec of importsOf(file)) {
        const target = normalize(join(dirname(file), spec)).split('/')[0];
        if (target !== folder && !allowed.includes(target)) upward.push(`${file} imports ${spec}`);
      }
    }
  }
  assert.deepEqual(upward, []);
});

test('the checker sees an upward import (it can fail)', () => {
  const fake = "import { x } from '../../app/embedded.js';";
  const target = normalize(join('models/kinds', [...fake.matchAll(/from\s*'([^']+)'/g)][0][1])).split('/')[0];
  assert.equal(target, 'app');
  assert.ok(!MAY_IMPORT.models.includes(target));
});

test('process.env is read in config/environment.ts only (benches and tests aside)', () => {
  const readers = Object.keys(MAY_IMPORT)
    .filter((f) => f !== 'bench')
    .flatMap(sourceFiles)
    .filter((file) => /process\.env\b/.test(withoutComments(readFileSync(join(root, file), 'utf8'))));
  assert.deepEqual(readers, ['config/environment.ts']);
});

/** The rows of the README table under `heading`: first cell of each row. */
function readmeTableFirstCells(heading: string): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `README has a "${heading}" section`);
  const section = readme.slice(start + heading.length + 2).split(/\n#{1,3} /)[0];
  return section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---') && !/^\|\s*-/.test(l)).slice(1).map((l) => l.split('|')[1].trim());
}

test('the README configuration table lists exactly the variables the settings loader reads', () => {
  const read = new Set<string>();
  const env = new Proxy({} as Record<string, string | undefined>, {
    get(_target, name) {
      if (typeof name === 'string') read.add(name);
      return undefined;
    },
  });
  loadSettings(env);
  const documented = new Set(readmeTableFirstCells('## Configuration').flatMap((cell) => [...cell.matchAll(/`(CLV_[A-Z0-9_]+)`/g)].map((m) => m[1])));
  assert.deepEqual([...documented].sort(), [...read].sort());
});

test('the README layout table lists every top-level folder of the project', () => {
  const cells = readmeTableFirstCells('## Layout').join(' ');
  // Git-ignored folders (build output, out/ with the browser test's screenshots) are not the project's.
  const ignored = readFileSync(join(root, '.gitignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => /^[^#/*][^/*]*\/$/.test(l)).map((l) => l.slice(0, -1));
  const folders = readdirSync(root).filter((f) => statSync(join(root, f)).isDirectory() && !ignored.includes(f) && !f.startsWith('.'));
  const missing = folders.filter((f) => !cells.includes(`\`${f}/\``));
  assert.deepEqual(missing, []);
});

test('the README names every clv command', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const commands = sourceFiles('cli/commands').map((f) => relative('cli/commands', f).replace(/\.ts$/, '')).filter((c) => c !== 'options');
  const missing = commands.filter((c) => !readme.includes(`clv ${c}`));
  assert.deepEqual(missing, []);
});
