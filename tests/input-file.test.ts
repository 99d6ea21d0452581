import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveInputFile } from '../app/input-file.js';

test('an --input found as given is used; a relative one is looked up under CLV_DATA_DIR; a missing one names both places', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clv-data-'));
  mkdirSync(join(dataDir, 'cdnow'));
  writeFileSync(join(dataDir, 'cdnow', 'shop.txt'), '1 19970101 1 10.00\n');
  assert.equal(resolveInputFile(join(dataDir, 'cdnow', 'shop.txt'), null), join(dataDir, 'cdnow', 'shop.txt'));
  assert.equal(resolveInputFile('cdnow/shop.txt', dataDir), join(dataDir, 'cdnow', 'shop.txt'));
  assert.throws(() => resolveInputFile('cdnow/missing.txt', dataDir), /--input cdnow\/missing.txt: no such file here or under CLV_DATA_DIR/);
  assert.throws(() => resolveInputFile('cdnow/missing.txt', null), /no such file \(set CLV_DATA_DIR/);
});
