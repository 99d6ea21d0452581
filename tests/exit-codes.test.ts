import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CommanderError } from 'commander';
import { ExitCodes, exitCodeOf } from '../cli/exit-codes.js';
import { ClvError, ErrorCodes } from '../core/errors.js';

test('a flag, setting, input file or policy the user got wrong is a usage error (2)', () => {
  for (const code of [ErrorCodes.INVALID_CONFIG, ErrorCodes.INVALID_INPUT_FILE, ErrorCodes.INVALID_POLICY]) {
    assert.equal(exitCodeOf(new ClvError(code, 'bad')), ExitCodes.usage, code);
  }
  assert.equal(exitCodeOf(new CommanderError(1, 'commander.missingMandatoryOptionValue', "error: required option '--input <file>' not specified")), ExitCodes.usage);
  assert.equal(exitCodeOf(new CommanderError(1, 'commander.help', '(outputHelp)')), ExitCodes.usage);
});

test('a failure while running is 1: a dependency down, too little data, no model, an unexpected error', () => {
  for (const code of [ErrorCodes.DEPENDENCY_FAILED, ErrorCodes.INSUFFICIENT_DATA, ErrorCodes.NO_MODEL]) {
    assert.equal(exitCodeOf(new ClvError(code, 'failed')), ExitCodes.runtime, code);
  }
  assert.equal(exitCodeOf(new Error('ENOSPC')), ExitCodes.runtime);
});

test('--help and --version are not errors', () => {
  assert.equal(exitCodeOf(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)')), ExitCodes.ok);
  assert.equal(exitCodeOf(new CommanderError(0, 'commander.version', '0.1.0')), ExitCodes.ok);
});
