import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forbiddenIdCodePoints, ID_PATTERN, idProblem } from '../core/id-rule.js';

const forbidden = (cp: number) => forbiddenIdCodePoints().some(([a, b]) => cp >= a && cp <= b);

test("the id rule's written-out ranges are exactly this engine's \\p{Cc}, \\p{Cf} and the surrogates", () => {
  const reference = /^[\p{Cc}\p{Cf}\p{Cs}]$/u;
  const differ: string[] = [];
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    const c = cp >= 0xd800 && cp <= 0xdfff ? String.fromCharCode(cp) : String.fromCodePoint(cp);
    if (reference.test(c) !== forbidden(cp)) differ.push(cp.toString(16));
  }
  assert.deepEqual(differ, [], `Unicode ${process.versions.unicode}: update CONTROL_AND_FORMAT in core/id-rule.ts`);
});

test('ID_PATTERN (the OpenAPI pattern, "u" flag) and idProblem agree on every code point, surrogate pairs allowed', () => {
  const pattern = new RegExp(ID_PATTERN, 'u');
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    const c = cp >= 0xd800 && cp <= 0xdfff ? String.fromCharCode(cp) : String.fromCodePoint(cp);
    const ok = !forbidden(cp);
    if (pattern.test(`a${c}b`) !== ok || (idProblem(`a${c}b`) === null) !== ok) assert.fail(`U+${cp.toString(16)}: pattern ${pattern.test(`a${c}b`)}, idProblem ${idProblem(`a${c}b`)}`);
  }
  assert.ok(pattern.test('😀\u{1F600}客'), 'surrogate pairs are one code point each');
  assert.ok(!pattern.test('a\ud83d'), 'a lead surrogate alone is refused');
  assert.ok(!/\\p\{/.test(ID_PATTERN), 'no property escapes: tools in other languages read the pattern');
});
