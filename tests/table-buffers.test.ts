import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnalyticsTable } from '../core/ports/analytics-store.js';
import { TableBuffers } from '../consumers/clickhouse-sink/table-buffers.js';

/** A writer whose writes finish only when the test says so. */
function heldWriter() {
  const writes: Array<{ table: AnalyticsTable; rows: object[]; finish: (error?: Error) => void }> = [];
  let active = 0;
  let maxActive = 0;
  const write = (table: AnalyticsTable, rows: object[]) =>
    new Promise<void>((resolve, reject) => {
      active++;
      maxActive = Math.max(maxActive, active);
      writes.push({ table, rows, finish: (error) => { active--; if (error) reject(error); else resolve(); } });
    });
  return { writes, write, maxActive: () => maxActive };
}

const rows = (table: AnalyticsTable, ...ids: string[]) => new Map([[table, ids.map((id) => ({ id }))]]);
const tick = () => new Promise((r) => setTimeout(r, 5));
const settled = (p: Promise<unknown>) => { let done = false; p.then(() => (done = true), () => (done = true)); return () => done; };

test('table buffers: a batch resolves only after a write containing its rows has finished', async () => {
  const w = heldWriter();
  const buffers = new TableBuffers({ maxRows: 100, maxDelayMs: 10_000, write: w.write });
  const batch = buffers.add(rows('orders', 'a'));
  const done = settled(batch);
  await tick();
  assert.deepEqual(w.writes.map((x) => x.rows), [[{ id: 'a' }]], 'an idle table writes at once');
  assert.equal(done(), false);
  w.writes[0].finish();
  await batch;
});

test('table buffers: a full buffer is written at once, in writes of at most maxRows rows', async () => {
  const w = heldWriter();
  const buffers = new TableBuffers({ maxRows: 3, maxDelayMs: 10_000, write: w.write });
  const first = buffers.add(rows('orders', 'a'));
  const second = buffers.add(rows('orders', 'b1', 'b2'));
  const third = buffers.add(rows('orders', 'c1', 'c2'));
  await tick();
  assert.equal(w.writes.length, 1, 'writes of one table never overlap');
  w.writes[0].finish();
  await first;
  await tick();
  assert.deepEqual(w.writes.map((x) => x.rows.length), [1, 3], 'four rows ≥ maxRows: written without waiting maxDelayMs');
  w.writes[1].finish();
  await tick();
  assert.deepEqual(w.writes[2].rows, [{ id: 'c2' }]);
  const thirdDone = settled(third);
  await tick();
  assert.equal(thirdDone(), false, 'the batch whose rows span two writes waits for both');
  w.writes[2].finish();
  await Promise.all([second, third]);
  assert.equal(w.maxActive(), 1);
});

test('table buffers: a partial buffer waits until maxDelayMs after the previous write of its table', async () => {
  const written: Array<{ table: string; at: number }> = [];
  const buffers = new TableBuffers({ maxRows: 100, maxDelayMs: 80, write: async (table) => void written.push({ table, at: Date.now() }) });
  await buffers.add(rows('orders', 'a'));
  await buffers.add(new Map([['orders', [{ id: 'b' }]], ['payments', [{ id: 'p' }]]] as const));
  const ordersWrites = written.filter((x) => x.table === 'orders');
  assert.equal(ordersWrites.length, 2);
  assert.ok(ordersWrites[1].at - ordersWrites[0].at >= 75, `second write after ${ordersWrites[1].at - ordersWrites[0].at} ms`);
  // Another table is not held back: payments went out before orders' delayed second write.
  assert.ok(written.findIndex((x) => x.table === 'payments') < written.indexOf(ordersWrites[1]), JSON.stringify(written.map((x) => x.table)));
});

test('table buffers: a failed write rejects every batch waiting on it; later batches go on', async () => {
  const w = heldWriter();
  const buffers = new TableBuffers({ maxRows: 100, maxDelayMs: 0, write: w.write });
  const held = buffers.add(rows('orders', 'a'));
  await tick();
  const b = buffers.add(rows('orders', 'b'));
  const c = buffers.add(rows('orders', 'c'));
  w.writes[0].finish();
  await held;
  await tick();
  assert.deepEqual(w.writes[1].rows, [{ id: 'b' }, { id: 'c' }], 'both batches share one write');
  w.writes[1].finish(new Error('store down'));
  await assert.rejects(b, /store down/);
  await assert.rejects(c, /store down/);
  const d = buffers.add(rows('orders', 'd'));
  await tick();
  w.writes[2].finish();
  await d;
  assert.deepEqual(w.writes[2].rows, [{ id: 'd' }], 'failed rows are not written again by the buffers (the log redelivers them)');
});

test('table buffers: drain writes partial buffers without waiting for maxDelayMs', async () => {
  const written: object[][] = [];
  const buffers = new TableBuffers({ maxRows: 100, maxDelayMs: 60_000, write: async (_t, r) => void written.push(r) });
  await buffers.add(rows('orders', 'a'));
  const waiting = buffers.add(rows('orders', 'b'));
  await tick();
  assert.equal(buffers.bufferedRows(), 1);
  await buffers.drain();
  await waiting;
  assert.deepEqual(written, [[{ id: 'a' }], [{ id: 'b' }]]);
  await buffers.add(rows('orders', 'c'));
  assert.equal(written.length, 3, 'after drain, adds are written at once');
});
