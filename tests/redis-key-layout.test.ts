import { test } from 'node:test';
import assert from 'node:assert/strict';
import { beforeFirstSlash, RedisKeyLayout } from '../adapters/redis/redis-key-layout.js';
import { ClvError } from '../core/errors.js';

test('redis key layout: clv:<namespace>:{<customer>}<rest>, as documented', () => {
  assert.equal(new RedisKeyLayout('histories').encode('C42'), 'clv:histories:{C42}');
  assert.equal(new RedisKeyLayout('ledgers').encode('C42/O-7'), 'clv:ledgers:{C42}/O-7');
  assert.equal(new RedisKeyLayout('ledgers').encode('C42/O-7/x'), 'clv:ledgers:{C42}/O-7/x');
  assert.equal(new RedisKeyLayout('ledgers').pattern, 'clv:ledgers:*');
});

test('redis key layout: decode inverts encode, whatever the key holds', () => {
  const layout = new RedisKeyLayout('ns');
  const keys = ['', '/', '/O1', 'C1', 'C1/', 'C1/O1', 'a:b/c:d', '客户-ü/订单:1', '{C1}/x', 'C}1/O}', 'C%7D/x', '%25%/%', '}{}/{}', '😀/😀'];
  for (const key of keys) {
    const redisKey = layout.encode(key);
    assert.ok(redisKey.startsWith('clv:ns:{'), redisKey);
    assert.equal(layout.decode(redisKey), key, redisKey);
  }
});

test("redis key layout: the hash tag holds no '}', so Redis hashes exactly the escaped customer id", () => {
  const layout = new RedisKeyLayout('ns');
  const redisKey = layout.encode('C}1%/O1');
  assert.equal(redisKey, 'clv:ns:{C%7D1%25}/O1');
  // Redis' rule: the text between the first '{' and the next '}'.
  const open = redisKey.indexOf('{');
  assert.equal(redisKey.slice(open + 1, redisKey.indexOf('}', open)), 'C%7D1%25');
});

test('redis key layout: a custom hash tag must be a prefix of the key', () => {
  const byRegion = new RedisKeyLayout('ns', (key) => key.slice(0, 2));
  assert.equal(byRegion.encode('EU-C1'), 'clv:ns:{EU}-C1');
  assert.equal(byRegion.decode('clv:ns:{EU}-C1'), 'EU-C1');
  const broken = new RedisKeyLayout('ns', () => 'other');
  assert.throws(() => broken.encode('C1'), (e: unknown) => e instanceof ClvError && e.code === 'CLV_INVALID_CONFIG');
});

test('redis key layout: namespaces with glob, brace or colon characters are refused', () => {
  for (const bad of ['', 'a*', 'a?', 'a[b]', 'a:b', '{a}', 'a b', 'a\\b']) {
    assert.throws(() => new RedisKeyLayout(bad), (e: unknown) => e instanceof ClvError && e.code === 'CLV_INVALID_CONFIG', bad);
  }
  assert.doesNotThrow(() => new RedisKeyLayout('it_1234_k9x.features-v2'));
});

test('redis key layout: decode refuses keys of other namespaces', () => {
  const layout = new RedisKeyLayout('ns');
  for (const other of ['clv:ns2:{C1}', 'clv:ns:C1', 'clv:ns:{C1', 'x:ns:{C1}']) assert.throws(() => layout.decode(other), ClvError, other);
});

test('beforeFirstSlash picks the customer id of a ledger key', () => {
  assert.equal(beforeFirstSlash('C1/O1/x'), 'C1');
  assert.equal(beforeFirstSlash('C1'), 'C1');
  assert.equal(beforeFirstSlash('/O1'), '');
});

test('redis key layout: a prefix pattern names the whole tag when the prefix holds it, and escapes glob characters', () => {
  const layout = new RedisKeyLayout('ledgers');
  assert.equal(layout.patternFor('C42/'), 'clv:ledgers:{C42}/*');
  assert.equal(layout.patternFor('C*[1]?/x'), 'clv:ledgers:{C\\*\\[1\\]\\?}/x*');
  // No '/': the tag may go on (C42 is a prefix of C420), so the pattern leaves it open.
  assert.equal(layout.patternFor('C42'), 'clv:ledgers:{C42*');
  assert.equal(layout.patternFor('a}b/'), 'clv:ledgers:{a%7Db}/*');
});
