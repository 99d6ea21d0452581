import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactSecrets } from '../core/redact-secrets.js';
import { ClvError, ErrorCodes } from '../core/errors.js';

test('URL passwords are masked in any text, whatever the scheme, the URL still readable', () => {
  const cases: Array<[string, string]> = [
    ['cannot reach ClickHouse at http://clv:S3cret@10.0.0.1:8123: ECONNREFUSED', 'cannot reach ClickHouse at http://clv:***@10.0.0.1:8123: ECONNREFUSED'],
    ['invalid setting CLV_REDIS_URL="redis://:S3cret@redis:bad"', 'invalid setting CLV_REDIS_URL="redis://:***@redis:bad"'],
    ['rediss://user:p%40ss:w@h:6380/0 and https://a:b@c', 'rediss://user:***@h:6380/0 and https://a:***@c'],
    ['GET http://h/x?password=S3cret&y=1', 'GET http://h/x?password=***&y=1'],
    ['http://h/x?token=abc', 'http://h/x?token=***'],
    ['no secret here: http://127.0.0.1:8123/?database=clv', 'no secret here: http://127.0.0.1:8123/?database=clv'],
    ['user@example.com wrote', 'user@example.com wrote'],
  ];
  for (const [text, expected] of cases) assert.equal(redactSecrets(text), expected, text);
});

test('a ClvError never carries a URL password in its message', () => {
  const e = new ClvError(ErrorCodes.DEPENDENCY_FAILED, 'schema registry not reachable at http://u:S3cret@127.0.0.1:1/subjects');
  assert.ok(!e.message.includes('S3cret'), e.message);
  assert.ok(!String(e.stack).includes('S3cret'));
});

test('PEM private keys are masked whole, raw or JSON-escaped, even cut short; certificates stay', () => {
  const key = '-----BEGIN PRIVATE KEY-----\nMIIEvAIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----';
  const rsa = '-----BEGIN RSA PRIVATE KEY-----\\nMIIEpAIBAAKCAQEA\\n-----END RSA PRIVATE KEY-----';
  const cert = '-----BEGIN CERTIFICATE-----\nMIIDazCCAlOgAwIBAgIUJ\n-----END CERTIFICATE-----';
  assert.equal(redactSecrets(`key: ${key} end`), 'key: -----BEGIN PRIVATE KEY-----***-----END PRIVATE KEY----- end');
  assert.equal(redactSecrets(`{"key":"${rsa}","n":1}`), '{"key":"-----BEGIN RSA PRIVATE KEY-----***-----END RSA PRIVATE KEY-----","n":1}');
  assert.equal(redactSecrets('{"key":"-----BEGIN PRIVATE KEY-----\\nMIIEvAIBADAN","n":1}'), '{"key":"-----BEGIN PRIVATE KEY-----***-----END PRIVATE KEY-----","n":1}');
  assert.equal(redactSecrets(cert), cert);
});
