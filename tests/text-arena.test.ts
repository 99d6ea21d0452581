import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextArena } from '../adapters/in-memory/text-arena.js';

/** A deterministic generator (mulberry32), so a failure repeats. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = ['a', 'Z', '9', '"', ',', 'é', '€', '😀', '\u0000'];

function textOf(next: () => number, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return text;
}

test('TextArena: every slot reads back its last text through adds, replacements, removals and compaction; memory stays bounded', () => {
  const next = random(42);
  const arena = new TextArena();
  const model = new Map<number, string>();
  const stamps = new Map<number, number>();
  let compactions = 0;
  let most = 0;
  for (let i = 0; i < 60_000; i++) {
    const r = next();
    const slots = [...model.keys()];
    if (slots.length < 2_000 || r < 0.3) {
      const text = textOf(next, Math.floor(next() * 600));
      const slot = arena.add(text);
      assert.ok(!model.has(slot), `slot ${slot} given twice`);
      model.set(slot, text);
    } else if (r < 0.9) {
      const slot = slots[Math.floor(next() * slots.length)];
      const text = textOf(next, Math.floor(next() * 600));
      arena.replace(slot, text);
      model.set(slot, text);
    } else {
      const slot = slots[Math.floor(next() * slots.length)];
      arena.remove(slot);
      model.delete(slot);
    }
    if (i % 97 === 0) for (const slot of model.keys()) stamps.set(slot, arena.stampOf(slot));
    if (arena.compactStep()) {
      compactions++;
      // Moving a text keeps its stamp.
      for (const [slot, stamp] of stamps) if (model.has(slot) && arena.stampOf(slot) !== stamp) assert.fail(`slot ${slot} changed stamp without a write`);
    }
    stamps.clear();
    most = Math.max(most, arena.bytes.allocated);
  }
  for (const [slot, text] of model) assert.equal(arena.read(slot), text, `slot ${slot}`);
  const live = [...model.values()].reduce((sum, t) => sum + Buffer.byteLength(t), 0);
  assert.equal(arena.bytes.live, live);
  assert.ok(compactions > 0, 'the run never compacted');
  // Dead bytes are reclaimed: at most about twice the live bytes plus a few chunks.
  assert.ok(most <= 2 * live + 5 * (4 << 20), `allocated ${most} bytes for ${live} live`);
});

test('TextArena: a text longer than a chunk gets one of its own, and stamps change with every write', () => {
  const arena = new TextArena();
  const small = arena.add('small');
  const huge = 'x'.repeat(5 << 20);
  const big = arena.add(huge);
  const after = arena.add('after');
  assert.equal(arena.read(big), huge);
  assert.deepEqual([arena.read(small), arena.read(after)], ['small', 'after']);
  const stamp = arena.stampOf(small);
  arena.replace(small, 'small');
  assert.notEqual(arena.stampOf(small), stamp);
  assert.equal(arena.read(small), 'small');
  assert.equal(arena.read(arena.add('')), '');
});
