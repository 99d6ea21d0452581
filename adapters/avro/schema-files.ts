/** The Avro schemas in `schemas/`, one per topic, named `<topic>.avsc`. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../config/project-files.js';

function schemasDir(): string {
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
