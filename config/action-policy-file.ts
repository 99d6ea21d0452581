/** The action policy file (CLV_POLICY_FILE, or the shipped config/action-policy.json). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseActionPolicy, type ActionPolicy } from '../core/action-policy.js';
import { ClvError, ErrorCodes } from '../core/errors.js';
import { projectRoot } from './project-files.js';

/** @throws ClvError INVALID_POLICY naming the file and what is wrong in it. */
export function loadPolicy(file: string | null): ActionPolicy {
  const path = file ?? join(projectRoot(), 'config', 'action-policy.json');
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new ClvError(ErrorCodes.INVALID_POLICY, `action policy ${String(path)}: ${(cause as Error).message}`, { cause });
  }
  return parseActionPolicy(doc, file ?? 'config/action-policy.json');
}
