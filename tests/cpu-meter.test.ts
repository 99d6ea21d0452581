/**
 * The benches' CPU meter: busy time read from /proc/stat's aggregate line, and a meter that
 * counts this process's CPU over a phase.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { busySecondsOf, startCpuMeter } from '../bench/cpu-meter.js';

test('cpu meter: busy seconds are user, nice, system, irq, softirq and steal of the aggregate line, not idle or iowait', () => {
  const procStat = [
    'cpu  1000 20 300 99999 555 7 8 9 40 0',
    'cpu0 500 10 150 50000 300 3 4 5 20 0',
    'intr 12345',
  ].join('\n');
  // (1000 + 20 + 300 + 7 + 8 + 9) ticks at 100 per second; guest (40) is already in user.
  assert.equal(busySecondsOf(procStat), 13.44);
  // An old kernel's line without irq, softirq and steal counts what it has.
  assert.equal(busySecondsOf('cpu  100 0 50 900\n'), 1.5);
  assert.throws(() => busySecondsOf('cpu0 1 2 3 4\n'), /no aggregate "cpu " line/);
});

test('cpu meter: counts the CPU this process spends between start and read', () => {
  const spent = startCpuMeter();
  let x = 0;
  const until = process.cpuUsage().user + 50_000;
  while (process.cpuUsage().user < until) x += Math.sqrt(x + 1);
  const { processSeconds, machineSeconds } = spent();
  assert.ok(x > 0);
  assert.ok(processSeconds >= 0.05, `expected at least the 50 ms spun, got ${processSeconds} s`);
  if (machineSeconds !== null) assert.ok(machineSeconds >= 0);
});
