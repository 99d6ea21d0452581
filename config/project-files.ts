/** Files shipped with the project: schemas, the default action policy, the dashboard. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's root (the folder holding `schemas/` and `config/`), found by walking up
 * from this file: it sits at a different depth when compiled to dist/.
 */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'schemas', 'commerce.orders.v1.avsc'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('schemas/ not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** The static files of the dashboard. */
export function dashboardDir(): string {
  return join(projectRoot(), 'dashboard');
}
