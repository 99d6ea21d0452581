import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { methodNotAllowed } from '../api/plugins/method-not-allowed.js';

async function app() {
  const a = Fastify();
  await a.register(methodNotAllowed);
  a.get('/items/:id', async () => 'item');
  a.delete('/items/:id', async () => 'gone');
  a.post('/items/special', async () => 'special');
  a.get('/files/*', async () => 'file');
  a.options('*', async () => 'preflight');
  await a.ready();
  return a;
}

test('405 with the Allow of the most specific matching route; unknown paths 404; the catch-all is ignored', async () => {
  const a = await app();
  try {
    const cases: Array<[string, string, number, string | undefined]> = [
      ['PUT', '/items/7', 405, 'GET, HEAD, DELETE'],
      ['TRACE', '/items/7?x=1', 405, 'GET, HEAD, DELETE'],
      ['PUT', '/items/special', 405, 'POST'],
      ['POST', '/files/a/b', 405, 'GET, HEAD'],
      ['PUT', '/nothing', 404, undefined],
      ['GET', '/items/7', 200, undefined],
    ];
    for (const [method, url, status, allow] of cases) {
      const res = await a.inject({ method: method as 'GET', url });
      assert.equal(res.statusCode, status, `${method} ${url}`);
      assert.equal(res.headers.allow, allow, `${method} ${url}`);
    }
    assert.equal((await a.inject({ method: 'PUT', url: '/items/7' })).json().error.code, 'API_METHOD_NOT_ALLOWED');
  } finally {
    await a.close();
  }
});
