/** `clv keys create --name NAME --scopes read,ingest,admin`: flags for app/new-api-key.ts. */
import type { Command } from 'commander';
import { processSettings } from '../../config/environment.js';
import { ApiScopes, isApiScope, type ApiScope } from '../../core/api-keys.js';
import { ClvError, ErrorCodes } from '../../core/errors.js';

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('API keys for clv serve');
  keys
    .command('create')
    .description('print a new API key (once) and the record to add to CLV_API_KEYS or CLV_API_KEYS_FILE')
    .requiredOption('--name <name>', 'who the key is for: 1–40 letters, digits or -; shows in logs and metrics')
    .option('--scopes <list>', `comma-separated: ${ApiScopes.join(', ')} (read: GET; ingest: POST /v1/events; admin: retrain)`, 'read')
    .option('--json', 'one JSON object: name, scopes, key, record')
    .action(async (o: { name: string; scopes: string; json?: boolean }) => {
      const { newApiKey, newApiKeyText } = await import('../../app/new-api-key.js');
      const created = newApiKey(processSettings().api, o.name, scopesFlag(o.scopes));
      process.stdout.write(o.json ? `${JSON.stringify(created)}\n` : newApiKeyText(created));
    });
}

function scopesFlag(text: string): ApiScope[] {
  const scopes = text.split(/[,+]/).map((s) => s.trim()).filter((s) => s !== '');
  const unknown = scopes.filter((s) => !isApiScope(s));
  if (scopes.length === 0 || unknown.length > 0) {
    throw new ClvError(ErrorCodes.INVALID_CONFIG, `--scopes must list some of ${ApiScopes.join(', ')} (comma-separated), got "${text}"`);
  }
  return scopes as ApiScope[];
}
