import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { firstKeyPart, RedisKeyLayout, wholeKey } from '../adapters/redis/redis-key-layout.js';
import { compositeKey } from '../core/composite-key.js';
import { ClvError } from '../core/errors.js';

// ioredis' own slot function (a dependency of ioredis, untyped).
const clusterKeySlot = createRequire(import.meta.url)('cluster-key-slot') as (key: string) => number;

test('redis key layout: clv:<namespace>:{<customer>}<rest>, as documented', () => {
  assert.equal(new RedisKeyLayout('histories').encode('C42'), 'clv:histories:{C42}');
  assert.equal(new RedisKeyLayout('ledgers', firstKeyPart).encode(compositeKey('C42', 'O-7')), 'clv:ledgers:{C42}/O-7');
  assert.equal(new RedisKeyLayout('ledgers', firstKeyPart).encode(compositeKey('C42', 'O-7', 'x')), 'clv:ledgers:{C42}/O-7/x');
  assert.equal(new RedisKeyLayout('ledgers').pattern, 'clv:ledgers:*');
});

test('redis key layout: decode inverts encode, whatever the key holds', () => {
  const keys = ['', '/', '/O1', 'C1', 'C1/', 'C1/O1', 'a:b/c:d', '客户-ü/订单:1', '{C1}/x', 'C}1/O}', 'C%7D/x', '%25%/%', '}{}/{}', '😀/😀'];
  for (const layout of [new RedisKeyLayout('ns'), new RedisKeyLayout('ns', wholeKey)]) {
    for (const key of keys) {
      const redisKey = layout.encode(key);
      assert.ok(redisKey.startsWith('clv:ns:{'), redisKey);
      assert.equal(layout.decode(redisKey), key, redisKey);
    }
  }
  const ledgers = new RedisKeyLayout('ns', firstKeyPart);
  for (const a of keys) {
    for (const b of ['O1', 'B/C', '%2F', '']) {
      const key = compositeKey(a, b);
      assert.equal(ledgers.decode(ledgers.encode(key)), key, key);
    }
  }
});

test("redis key layout: customer A/B's order C and customer A's order B/C get different keys, each in its customer's slot", () => {
  const ledgers = new RedisKeyLayout('ledgers', firstKeyPart);
  const histories = new RedisKeyLayout('histories');
  const ofAB = ledgers.encode(compositeKey('A/B', 'C'));
  const ofA = ledgers.encode(compositeKey('A', 'B/C'));
  assert.equal(ofAB, 'clv:ledgers:{A/B}/C');
  assert.equal(ofA, 'clv:ledgers:{A}/B%2FC');
  assert.equal(clusterKeySlot(ofAB), clusterKeySlot(histories.encode('A/B')));
  assert.equal(clusterKeySlot(ofA), clusterKeySlot(histories.encode('A')));
  assert.equal(clusterKeySlot(ofAB), clusterKeySlot('A/B'));
});

test("redis key layout: the hash tag holds no '}', so Redis hashes exactly the escaped customer id", () => {
  for (const [layout, key] of [[new RedisKeyLayout('ns', firstKeyPart), compositeKey('C}1%', 'O1')], [new RedisKeyLayout('ns'), 'C}1%']] as const) {
    const redisKey = layout.encode(key);
    assert.ok(redisKey.startsWith('clv:ns:{C%7D1%25}'), redisKey);
    // Redis' rule: the text between the first '{' and the next '}'.
    const open = redisKey.indexOf('{');
    assert.equal(redisKey.slice(open + 1, redisKey.indexOf('}', open)), 'C%7D1%25');
  }
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

test('firstKeyPart picks the customer id of a ledger key; wholeKey the whole key', () => {
  assert.deepEqual(firstKeyPart.split(compositeKey('C/1', 'O1', 'x')), { tag: 'C/1', rest: '/O1/x' });
  assert.deepEqual(wholeKey.split('C/1'), { tag: 'C/1', rest: '' });
});

test('redis key layout: a prefix pattern names the whole tag when the prefix holds it, and escapes glob characters', () => {
  const ledgers = new RedisKeyLayout('ledgers', firstKeyPart);
  assert.equal(ledgers.patternFor('C42/'), 'clv:ledgers:{C42}/*');
  assert.equal(ledgers.patternFor(`${compositeKey('C*[1]?')}/x`), 'clv:ledgers:{C\\*\\[1\\]\\?}/x*');
  assert.equal(ledgers.patternFor(`${compositeKey('a}b/c')}/`), 'clv:ledgers:{a%7Db/c}/*');
  // No '/': the tag may go on (C42 is a prefix of C420), so the pattern leaves it open.
  assert.equal(ledgers.patternFor('C42'), 'clv:ledgers:{C42*');
  assert.equal(new RedisKeyLayout('histories').patternFor('C*42'), 'clv:histories:{C\\*42*');
});
