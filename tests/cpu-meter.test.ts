/**
 * The benches' CPU meter: busy time read from /proc/stat's aggregate line, and a meter that
 * counts this process's CPU over a phase.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { busySecondsOf, processTimesOf, serverCpuSeconds, startCpuMeter } from '../bench/cpu-meter.js';

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
  const { processSeconds, processUserSeconds, processSystemSeconds, machineSeconds } = spent();
  assert.ok(x > 0);
  assert.ok(processSeconds >= 0.05, `expected at least the 50 ms spun, got ${processSeconds} s`);
  // The spin is user time; the two parts make the whole.
  assert.ok(processUserSeconds >= 0.05, `expected the spin in user time, got ${processUserSeconds} s`);
  assert.ok(Math.abs(processUserSeconds + processSystemSeconds - processSeconds) < 1e-9);
  if (machineSeconds !== null) assert.ok(machineSeconds >= 0);
});

test('cpu meter: a /proc/<pid>/stat line gives the parent pid and user and system seconds, whatever the command name holds', () => {
  // Fields as the kernel writes them: pid (comm) state ppid … utime (14) stime (15) …
  const line = '4242 (node worker) x) S 4200 4242 4200 0 -1 4194560 1234 0 0 0 730 215 0 0 20 0 11 0 9999 1000000 5000';
  assert.deepEqual(processTimesOf(line), { ppid: 4200, user: 7.3, system: 2.15 });
  assert.throws(() => processTimesOf('cpu  1 2 3'), /not a \/proc\/<pid>\/stat line/);
});

test('cpu meter: a server\'s CPU counts its child processes too, as node:cluster workers are', { skip: process.platform !== 'linux' && 'reads /proc' }, async () => {
  // A parent that starts a child spinning for 300 ms of user CPU, then says so and waits.
  const parent = spawn(process.execPath, ['-e', `
    const { spawnSync } = require('node:child_process');
    spawnSync(process.execPath, ['-e', 'const end = process.cpuUsage().user + 300000; while (process.cpuUsage().user < end);']);
    process.stdout.write('done'); setTimeout(() => {}, 30000);
  `], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    let finished = false;
    void once(parent.stdout!, 'data').then(() => (finished = true));
    // The most CPU counted under the parent beyond its own, sampled while the child spins.
    let childCpu = 0;
    const deadline = Date.now() + 30_000;
    while (!finished && Date.now() < deadline) {
      const own = processTimesOf(readFileSync(`/proc/${parent.pid}/stat`, 'utf8'));
      childCpu = Math.max(childCpu, serverCpuSeconds(parent.pid!).user - own.user);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.ok(finished, 'the parent did not report its child done within 30 s');
    assert.ok(childCpu >= 0.15, `expected the child's spin (300 ms of user CPU) to count under its parent, saw ${childCpu} s beyond the parent's own`);
  } finally {
    parent.kill();
  }
});
