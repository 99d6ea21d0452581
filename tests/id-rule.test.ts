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

test('ID_PATTERN (the OpenAPI pattern, "u" flag) and idProblem agree on the Basic Multilingual Plane; beyond it and for lone surrogates idProblem (format clv-id) is the rule', () => {
  const pattern = new RegExp(ID_PATTERN, 'u');
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    const surrogate = cp >= 0xd800 && cp <= 0xdfff;
    const c = surrogate ? String.fromCharCode(cp) : String.fromCodePoint(cp);
    const ok = !forbidden(cp);
    if ((idProblem(`a${c}b`) === null) !== ok) assert.fail(`U+${cp.toString(16)}: idProblem ${idProblem(`a${c}b`)}`);
    if (pattern.test(`a${c}b`) !== (ok || surrogate || cp > 0xffff)) assert.fail(`U+${cp.toString(16)}: pattern ${pattern.test(`a${c}b`)}`);
  }
  assert.ok(pattern.test('😀\u{1F600}客') && idProblem('😀\u{1F600}客') === null, 'surrogate pairs are one code point each');
  assert.match(idProblem('a\ud83d')!, /lone surrogate/);
  assert.match(idProblem('a\u{E0041}')!, /U\+E0041 \(a format character\)/);
  assert.ok(/^[\x20-\x7e]+$/.test(ID_PATTERN) && !/\\p\{|\\ud[89a-f]|\\u\{/i.test(ID_PATTERN), 'ASCII, \\uXXXX escapes of the BMP only: regex engines in other languages read the pattern');
});
