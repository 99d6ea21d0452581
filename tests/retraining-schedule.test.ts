import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClvError, ErrorCodes } from '../core/errors.js';
import { RetrainingSchedule } from '../training/retraining-schedule.js';

test('jobs never overlap, a job already waiting is not queued twice, failures are reported and the schedule goes on', async () => {
  const calls: string[] = [];
  const errors: string[] = [];
  let finishRetrain!: () => void;
  let now = 1000;
  const schedule = new RetrainingSchedule(
    {
      retrain: (at) => { calls.push(`retrain@${at}`); return new Promise<void>((r) => (finishRetrain = r)); },
      sweep: async (at) => {
        calls.push(`sweep@${at}`);
        if (at === 2000) throw new ClvError(ErrorCodes.INSUFFICIENT_DATA, 'thin');
      },
    },
    { retrainIntervalMs: 1e9, sweepIntervalMs: 1e9, clock: () => now, onError: (job, e) => errors.push(`${job}: ${(e as Error).message}`) },
  );
  const retrain = schedule.run('retrain');
  const sweep = schedule.run('sweep');
  const again = schedule.run('sweep');
  assert.equal(again, sweep, 'the second tick joins the waiting sweep');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(calls, ['retrain@1000'], 'the sweep waits for the retrain');
  now = 2000;
  finishRetrain();
  await retrain;
  await sweep;
  assert.deepEqual(calls, ['retrain@1000', 'sweep@2000'], '"now" is read when the job starts');
  assert.deepEqual(errors, ['sweep: thin']);
  now = 3000;
  await schedule.run('sweep');
  assert.deepEqual(calls.at(-1), 'sweep@3000');
  await schedule.stop();
  await schedule.run('sweep');
  assert.equal(calls.length, 3, 'nothing runs after stop');
});
