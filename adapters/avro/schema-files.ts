/** The Avro schemas in `schemas/`, one per topic, named `<topic>.avsc`. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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

export function schemasDir(): string {
  return join(projectRoot(), 'schemas');
}

/** topic → parsed Avro schema. */
export function loadTopicSchemas(dir = schemasDir()): Map<string, object> {
  const schemas = new Map<string, object>();
  for (const file of readdirSync(dir).sort()) {
    if (file.endsWith('.avsc')) schemas.set(file.slice(0, -'.avsc'.length), JSON.parse(readFileSync(join(dir, file), 'utf8')));
  }
  return schemas;
}
