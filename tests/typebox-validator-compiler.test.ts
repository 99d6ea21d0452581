import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from 'typebox';
import { typeBoxValidatorCompiler } from '../api/typebox-validator-compiler.js';

const schema = Type.Object({ n: Type.Optional(Type.Integer()), x: Type.Optional(Type.Number()), b: Type.Optional(Type.Boolean()), s: Type.Optional(Type.String()) });
const check = (httpPart: string, value: unknown) => typeBoxValidatorCompiler({ schema, httpPart, url: '/t', method: 'GET' })(value) as { value?: unknown; error?: Array<{ instancePath: string; message: string }> };

test('query strings become numbers and booleans only when spelled as such', () => {
  assert.deepEqual(check('querystring', { n: '42', x: '-1.5e3', b: 'false', s: '7' }).value, { n: 42, x: -1500, b: false, s: '7' });
  for (const [name, raw] of [['n', 'true'], ['n', ''], ['n', '1.5'], ['n', ' 1'], ['x', 'abc'], ['x', ''], ['b', '1'], ['b', 'yes']] as const) {
    const { error } = check('querystring', { [name]: raw });
    assert.ok(error, `${name}=${JSON.stringify(raw)} is refused`);
    assert.equal(error[0].instancePath, `/${name}`);
  }
});

test('bodies are never converted', () => {
  assert.ok(check('body', { n: '42' }).error, 'a string is not an integer in a JSON body');
  assert.deepEqual(check('body', { n: 42 }).value, { n: 42 });
});

test('a schema of strings only is checked as given (nothing to convert), and still refuses what is not its type', () => {
  const strings = Type.Object({ id: Type.String({ minLength: 1, pattern: '^[a-z0-9]+$' }) });
  const validate = typeBoxValidatorCompiler({ schema: strings, httpPart: 'params', url: '/t/:id', method: 'GET' });
  const value = { id: 'c42' };
  assert.deepEqual((validate(value) as { value: unknown }).value, { id: 'c42' });
  for (const bad of [{ id: '' }, { id: 'C-42' }, { id: ['a', 'b'] }, {}]) {
    assert.ok((validate(bad) as { error?: unknown[] }).error, `${JSON.stringify(bad)} is refused`);
  }
});
