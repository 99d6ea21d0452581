#!/usr/bin/env node
/**
 * The `clv` command line. Each command lives in cli/commands/; this file only wires them and
 * turns every error into one line on stderr, with no stack trace, and an exit code that
 * tells a usage error from a failure while running (cli/exit-codes.ts). Commander's own
 * errors (a missing required flag, an unknown option or command) get the same treatment
 * instead of its help text.
 */
import { Command, CommanderError } from 'commander';
import { processSettings } from '../config/environment.js';
import { redactSecrets } from '../core/redact-secrets.js';
import { ClvError } from '../core/errors.js';
import { registerBackup } from './commands/backup.js';
import { registerDemo } from './commands/demo.js';
import { registerEvaluate } from './commands/evaluate.js';
import { registerForget } from './commands/forget.js';
import { registerGenerate } from './commands/generate.js';
import { registerKeys } from './commands/keys.js';
import { registerModels } from './commands/models.js';
import { registerReconcile } from './commands/reconcile.js';
import { registerReplay } from './commands/replay.js';
import { registerRun } from './commands/run.js';
import { registerServe } from './commands/serve.js';
import { registerStatus } from './commands/status.js';
import { registerTrain } from './commands/train.js';
import { ExitCodes, exitCodeOf } from './exit-codes.js';

// Set before the commands are added: subcommands inherit both. Commander then throws its
// errors instead of exiting, and writes nothing itself (help asked for still goes to stdout).
const program = new Command()
  .name('clv')
  .description('clv-stream: real-time customer lifetime value from order and payment events')
  .exitOverride()
  .configureOutput({ writeErr: () => {}, outputError: () => {} });

registerDemo(program);
registerEvaluate(program);
registerRun(program);
registerServe(program);
registerTrain(program);
registerModels(program);
registerReplay(program);
registerGenerate(program);
registerStatus(program);
registerKeys(program);
registerReconcile(program);
registerForget(program);
registerBackup(program);

const args = process.argv.slice(2);
try {
  await program.parseAsync(process.argv);
} catch (error) {
  const code = exitCodeOf(error);
  if (code !== ExitCodes.ok) {
    // A dependency's message may quote a URL with its password: never printed.
    process.stderr.write(`${redactSecrets(errorLine(error))}\n`);
    if (!(error instanceof ClvError || error instanceof CommanderError) && debugLogging()) process.stderr.write(`${redactSecrets(String((error as Error)?.stack))}\n`);
  }
  process.exitCode = code;
}

function errorLine(error: unknown): string {
  if (error instanceof ClvError) return `clv: ${error.message} [${error.code}]`;
  if (error instanceof CommanderError) {
    const command = commandNamed(args);
    const name = commandPath(command);
    if (error.code === 'commander.help') {
      // A command that needs a subcommand was given none.
      const subs = command.commands.map((c) => c.name()).filter((n) => n !== 'help');
      return `${name}: name a ${command === program ? 'command' : 'subcommand'}: ${subs.join(', ')} (${name} --help describes each)`;
    }
    const message = error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ');
    return `${name}: ${message}; ${name} --help lists the ${command === program ? 'commands' : 'flags'}`;
  }
  const message = (error as Error)?.message ?? String(error);
  return `clv: ${message.replace(/\s*\n\s*/g, ' ')}`;
}

/** The (sub)command the arguments name, as far as they name one. */
function commandNamed(argv: readonly string[]): Command {
  let current = program;
  for (const a of argv) {
    const sub = current.commands.find((c) => c.name() === a || c.aliases().includes(a));
    if (!sub) break;
    current = sub;
  }
  return current;
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Stack traces of unexpected errors only when asked for (CLV_LOG_LEVEL=debug or trace). */
function debugLogging(): boolean {
  try {
    return ['debug', 'trace'].includes(processSettings().config.logLevel);
  } catch {
    return false;
  }
}
