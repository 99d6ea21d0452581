#!/usr/bin/env node
/**
 * The `clv` command line. Each command lives in cli/commands/; this file only wires them and
 * turns a ClvError into one clear line on stderr and a non-zero exit, with no stack trace.
 */
import { Command } from 'commander';
import { ClvError } from '../core/errors.js';
import { registerDemo } from './commands/demo.js';
import { registerEvaluate } from './commands/evaluate.js';
import { registerForget } from './commands/forget.js';
import { registerGenerate } from './commands/generate.js';
import { registerModels } from './commands/models.js';
import { registerReplay } from './commands/replay.js';
import { registerRun } from './commands/run.js';
import { registerServe } from './commands/serve.js';
import { registerTrain } from './commands/train.js';

const program = new Command()
  .name('clv')
  .description('clv-stream: real-time customer lifetime value from order and payment events')
  .showHelpAfterError();

registerDemo(program);
registerEvaluate(program);
registerRun(program);
registerServe(program);
registerTrain(program);
registerModels(program);
registerReplay(program);
registerGenerate(program);
registerForget(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof ClvError) {
    process.stderr.write(`clv: ${error.message} [${error.code}]\n`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
