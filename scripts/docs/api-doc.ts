/**
 * docs/api.md, generated from the OpenAPI document the API serves at /docs/json: the same
 * buildApp as `clv serve`, on in-memory ports, asked for its document. Each operation's
 * scope is not in that document (OpenAPI 3.0 gives scopes to OAuth only), so it is read off
 * the app's behaviour: a request with a key of each scope, of which every one but the
 * route's own is refused with 403 (authorization runs before validation, so no valid body or
 * parameter is needed).
 *
 * tests/api-doc.test.ts fails when docs/api.md differs from what this makes; `npm run
 * docs:api` rewrites it.
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { AvroCodec } from '../../adapters/avro/avro-codec.js';
import { InMemoryEventLog } from '../../adapters/in-memory/in-memory-event-log.js';
import { InMemoryStateStore } from '../../adapters/in-memory/in-memory-state-store.js';
import { buildApp } from '../../api/build-app.js';
import { loadPolicy } from '../../config/action-policy-file.js';
import { loadApiConfig } from '../../config/api-config.js';
import { loadConfig } from '../../config/config.js';
import { ApiScopes, createApiKey, type ApiScope } from '../../core/api-keys.js';
import { dayIndexer } from '../../core/calendar.js';
import { ScoreStoreReadModel } from '../../read-model/score-store-read-model.js';

type Json = Record<string, any>;

interface Operation { method: string; path: string; op: Json; scope: ApiScope | 'public' }

/** The OpenAPI document and each operation's scope, from an app built as `clv serve` builds it. */
export async function servedApi(): Promise<{ document: Json; operations: Operation[] }> {
  const config = loadConfig({});
  const scoring = { dayOf: dayIndexer(config.timeZone), policy: loadPolicy(config.policyFile), hysteresis: config.segmentHysteresis, minorPerUnit: config.minorPerUnit };
  const readModel = new ScoreStoreReadModel({ scores: new InMemoryStateStore(), currentModel: () => null, scoring });
  const keys = new Map(ApiScopes.map((scope) => [scope, createApiKey(`docs-${scope}`, [scope])]));
  const api = { ...loadApiConfig({}), apiKeys: [...keys.values()].map((k) => k.record), rateLimitPerMinute: 1_000_000 };
  const app = await buildApp({ readModel, log: new InMemoryEventLog(), codec: new AvroCodec(), config, api, logger: pino({ level: 'silent' }) });
  try {
    const document = (await app.inject({ url: '/docs/json' })).json() as Json;
    const operations: Operation[] = [];
    for (const [path, ops] of Object.entries(document.paths as Json)) {
      for (const [method, op] of Object.entries(ops as Json)) {
        let scope: ApiScope | 'public' = 'public';
        if (op.security) {
          const url = path.replace(/\{[^}]+\}/g, 'x');
          const allowed: ApiScope[] = [];
          for (const [s, key] of keys) {
            const res = await app.inject({ method: method.toUpperCase() as 'GET', url, headers: { 'x-api-key': key.key } });
            if (res.statusCode !== 403 && res.statusCode !== 401) allowed.push(s);
          }
          if (allowed.length !== 1) throw new Error(`${method.toUpperCase()} ${path}: ${allowed.length} scopes let it through (${allowed.join(', ')})`);
          scope = allowed[0];
        }
        operations.push({ method, path, op, scope });
      }
    }
    return { document, operations };
  } finally {
    await app.close();
  }
}

const cell = (s: unknown) => String(s ?? '').replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

/** A schema as one short type: `integer`, `string (date-time)`, `"a" \| "b"`, `array of object`. */
export function typeOf(schema: Json | undefined): string {
  if (!schema) return '';
  let t: string;
  if (schema.enum) t = schema.enum.map((v: unknown) => JSON.stringify(v)).join(' | ');
  else if (schema.anyOf || schema.oneOf) t = (schema.anyOf ?? schema.oneOf).map(typeOf).join(' | ');
  else if (schema.type === 'array') t = `array of ${typeOf(schema.items)}`;
  else t = `${schema.type ?? 'any'}${schema.format ? ` (${schema.format})` : ''}`;
  return schema.nullable ? `${t} or null` : t;
}

function limits(schema: Json | undefined): string {
  if (!schema) return '';
  const l: string[] = [];
  if (schema.minimum !== undefined) l.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined) l.push(`≤ ${schema.maximum}`);
  if (schema.minLength !== undefined) l.push(`length ≥ ${schema.minLength}`);
  if (schema.maxLength !== undefined) l.push(`length ≤ ${schema.maxLength}`);
  if (schema.maxItems !== undefined) l.push(`≤ ${schema.maxItems} items`);
  if (schema.default !== undefined) l.push(`default \`${JSON.stringify(schema.default)}\``);
  return l.join(', ');
}

/** The fields of an object schema, nested objects and arrays of objects with dotted names. */
function fieldRows(schema: Json | undefined, prefix = '', depth = 0): string[] {
  if (!schema || depth > 4) return [];
  const object = schema.type === 'array' ? schema.items : schema;
  if (!object?.properties) return [];
  const required = new Set<string>(object.required ?? []);
  const itemSuffix = schema.type === 'array' && prefix ? '[]' : '';
  return Object.entries(object.properties as Json).flatMap(([name, s]: [string, Json]) => {
    const full = `${prefix}${itemSuffix}${prefix ? '.' : ''}${name}`;
    const row = `| \`${full}\` | ${cell(typeOf(s))} | ${required.has(name) ? 'yes' : ''} | ${cell([s.description, limits(s)].filter(Boolean).join('; '))} |`;
    return [row, ...fieldRows(s, full, depth + 1)];
  });
}

/** A body schema's object forms (nested anyOf flattened, duplicates once) and its array form, if any. */
function bodyForms(schema: Json): { objects: Json[]; batch: Json | null } {
  const objects: Json[] = []; let batch: Json | null = null;
  const seen = new Set<string>();
  const visit = (s: Json) => {
    if (s.anyOf || s.oneOf) (s.anyOf ?? s.oneOf).forEach(visit);
    else if (s.type === 'array') { batch = s; visit(s.items); }
    else if (!seen.has(JSON.stringify(s))) { seen.add(JSON.stringify(s)); objects.push(s); }
  };
  visit(schema);
  return { objects, batch };
}

function fieldTable(schema: Json | undefined): string[] {
  const rows = fieldRows(schema);
  if (rows.length === 0) return schema ? [`A ${typeOf(schema)}.`, ''] : [];
  return ['| field | type | required | notes |', '|---|---|---|---|', ...rows, ''];
}

/** GitHub's anchor of the heading `### METHOD \`path\``: lower case, punctuation dropped, spaces to hyphens. */
const anchor = (method: string, path: string) => `${method} ${path}`.toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-');

function operationSection({ method, path, op, scope }: Operation): string[] {
  const lines = [`### ${method.toUpperCase()} \`${path}\``, '', `${op.summary ?? ''}`, ''];
  lines.push(`Tag: ${(op.tags ?? []).join(', ') || '—'}. Credentials: ${scope === 'public' ? 'none (public)' : `an API key or JWT with the \`${scope}\` scope`}.`, '');
  if (op.description) lines.push(op.description, '');
  const params: Json[] = op.parameters ?? [];
  if (params.length > 0) {
    lines.push('| parameter | in | type | required | notes |', '|---|---|---|---|---|');
    for (const p of params) lines.push(`| \`${p.name}\` | ${p.in} | ${cell(typeOf(p.schema))} | ${p.required ? 'yes' : ''} | ${cell([p.description, limits(p.schema)].filter(Boolean).join('; '))} |`);
    lines.push('');
  }
  const body = op.requestBody?.content;
  if (body) {
    for (const [type, content] of Object.entries(body as Json)) {
      lines.push(`Request body (\`${type}\`${op.requestBody.required ? ', required' : ''}):`, '');
      const { objects, batch } = bodyForms((content as Json).schema);
      if (batch) lines.push(`One object of ${objects.length > 1 ? 'one of the forms below' : 'the form below'}, or a batch: an array of them${batch.maxItems !== undefined ? ` (at most ${batch.maxItems})` : ''}${batch.minItems !== undefined ? `, at least ${batch.minItems}` : ''}.`, '');
      objects.forEach((v) => {
        const topic = v.properties?.topic?.enum;
        if (objects.length > 1) lines.push(topic ? `Form \`topic\` = \`${topic.join('`, `')}\`:` : `Form${v.description ? ` — ${v.description}` : ''}:`, '');
        lines.push(...fieldTable(v));
      });
    }
  }
  // Error answers share one body (## Errors): listed on one row, what each status means in api/errors.ts.
  const responses = Object.entries(op.responses ?? {}) as [string, Json][];
  const isError = ([status, r]: [string, Json]) => /^[45]/.test(status) && r.content?.['application/json']?.schema?.properties?.error !== undefined;
  lines.push('| status | meaning |', '|---|---|');
  for (const [status, r] of responses.filter((e) => !isError(e))) {
    const types = Object.keys(r.content ?? {});
    lines.push(`| ${status} | ${cell(r.description === 'Default Response' ? (status.startsWith('2') ? 'success' : 'see the fields below') : r.description)}${types.length > 0 ? ` (${types.map((t) => `\`${t}\``).join(', ')})` : ''} |`);
  }
  const errors = responses.filter(isError).map(([status]) => status);
  if (errors.length > 0) lines.push(`| ${errors.join(', ')} | an error, with the [error body](#errors) |`);
  lines.push('');
  const ok = Object.entries(op.responses ?? {}).find(([s]) => s.startsWith('2'))?.[1] as Json | undefined;
  const okSchema = ok?.content?.['application/json']?.schema;
  if (okSchema && fieldRows(okSchema).length > 0) lines.push('Response fields:', '', ...fieldTable(okSchema));
  return lines;
}

export async function apiMarkdown(): Promise<string> {
  const { document, operations } = await servedApi();
  const tags: string[] = (document.tags ?? []).map((t: Json) => t.name);
  const byTag = (tag: string) => operations.filter((o) => (o.op.tags ?? ['untagged'])[0] === tag);
  const errorExample = operations.find((o) => o.op.responses?.['400'])?.op.responses['400'].content?.['application/json']?.schema;
  const lines = [
    '<!-- Generated by `npm run docs:api` (scripts/docs/api-doc.ts) from the OpenAPI document the API serves at /docs/json.',
    '     Do not edit: tests/api-doc.test.ts fails when it is stale. -->',
    `# ${document.info.title} (OpenAPI ${document.openapi}, document version ${document.info.version})`,
    '',
    'For integrators. The running API serves the same document at `/docs/json` and Swagger UI at `/docs`; this page is that',
    'document as text, with the scope each route needs. How to read the figures it returns: [user-manual.md](user-manual.md).',
    'Generated with the default settings: limits that come from a setting (the currency `CLV_CURRENCY`, the batch size',
    '`CLV_API_MAX_BATCH_EVENTS`…) show its default; a deployment\'s own `/docs/json` shows its values.',
    '',
    document.info.description,
    '',
    '## Credentials and scopes',
    '',
    '| scheme | how to send it |',
    '|---|---|',
    ...Object.entries(document.components?.securitySchemes ?? {}).map(([name, s]: [string, any]) =>
      `| \`${name}\` | ${s.type === 'apiKey' ? `header \`${s.name}\`` : `\`Authorization: ${s.scheme === 'bearer' ? 'Bearer' : s.scheme} …\``}: ${cell(s.description)} |`),
    '',
    'Scopes are given to a key when it is made (`clv keys create --name NAME --scopes read,ingest,admin`) or in a JWT\'s `scope`',
    'claim. A request without credentials gets 401; with credentials lacking the scope, 403. Requests are rate-limited per key,',
    'JWT subject or client IP (`CLV_API_RATE_LIMIT_PER_MINUTE`): over it, 429.',
    '',
    '| scope | operations |',
    '|---|---|',
    ...[...new Set(operations.map((o) => o.scope))].map((scope) => `| ${scope === 'public' ? 'none (public)' : `\`${scope}\``} | ${operations.filter((o) => o.scope === scope).map((o) => `[${o.method.toUpperCase()} \`${o.path}\`](#${anchor(o.method, o.path)})`).join(', ')} |`),
    '',
  ];
  if (errorExample) lines.push('## Errors', '', 'Every error answer (4xx, 5xx) has this body:', '', ...fieldTable(errorExample));
  for (const tag of tags) {
    const ops = byTag(tag);
    if (ops.length === 0) continue;
    lines.push(`## ${tag[0].toUpperCase()}${tag.slice(1)}`, '');
    for (const o of ops) lines.push(...operationSection(o));
  }
  return lines.join('\n').replace(/\n+$/, '\n');
}

export const DOC = new URL('../../docs/api.md', import.meta.url);

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(DOC, await apiMarkdown());
  console.log(`wrote ${DOC.pathname}`);
}
