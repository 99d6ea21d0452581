import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../app/logger.js';
import { ClvError, ErrorCodes } from '../core/errors.js';

const SECRET = 'S3cretPassw0rd';

function captured() {
  let text = '';
  const stream = new Writable({ write(chunk, _enc, done) { text += String(chunk); done(); } });
  return { stream, text: () => text };
}

test('the root logger redacts credentials by key and URL passwords anywhere in a line', () => {
  const out = captured();
  const logger = createLogger('debug', out.stream);
  logger.info({ headers: { authorization: `Bearer ${SECRET}`, 'x-api-key': `clv_k_${SECRET}`, cookie: SECRET } }, 'request');
  logger.info({ req: { headers: { authorization: `Basic ${SECRET}` } } }, 'nested request');
  logger.info({ apiKey: SECRET, api_key: SECRET, password: SECRET, secret: SECRET, jwtSecret: SECRET, jwt: SECRET, token: SECRET, config: { jwt: { secret: SECRET } } }, 'settings');
  logger.warn(`cannot reach ClickHouse at http://clv:${SECRET}@127.0.0.1:8123`);
  logger.warn({ redis: `redis://:${SECRET}@127.0.0.1:6379/0` }, 'redis');
  logger.error({ err: new Error(`connect to https://user:${SECRET}@host/x failed`) }, 'failed');
  logger.error({ err: new ClvError(ErrorCodes.DEPENDENCY_FAILED, 'down', { cause: new Error(`at rediss://a:${SECRET}@h:1`) }) }, 'cause');
  logger.info({ url: `http://127.0.0.1:8081/x?user=u&password=${SECRET}` }, 'query');
  const text = out.text();
  assert.equal(text.trim().split('\n').length, 8, 'every line was written');
  assert.ok(!text.includes(SECRET), text);
  assert.match(text, /http:\/\/clv:\*\*\*@127\.0\.0\.1:8123/, 'the URL stays readable, its password masked');
});
