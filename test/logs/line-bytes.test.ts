import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bracedAsObject, hasSurrogateEscape, isJsonBlank, plainIdOf } from '../../src/logs/line-bytes.js';

// The string checks the byte checks stand in for (as the bad-line locator used them before).
const ID_FIELD = /"id"\s*:\s*"((?:[^"\\]|\\.)*)"/;
const stringId = (text: string) => ID_FIELD.exec(text)?.[1];
const stringBraced = (text: string) => text.trim().startsWith('{') && text.trim().endsWith('}');

/** Lines built from the pieces that matter: keys, quotes, escapes, braces, spaces of every kind. */
const piece = fc.constantFrom('"id"', '"id" : ', ':', '"', '\\', '\\u', 'd8', 'D9', 'dc', 'e0', '{', '}', ' ', '\t', '\u00a0', '\u2028', 'ř', '🙂', 'a', 'x1');
const line = fc.array(piece, { maxLength: 14 }).map((pieces) => pieces.join(''));

describe('log line bytes', () => {
  it('reads the id as the string pattern does, or defers to it', () => {
    fc.assert(
      fc.property(line, (text) => {
        const id = plainIdOf(Buffer.from(text));
        if (id !== undefined) expect(id).toBe(stringId(text));
      }),
      { numRuns: 3000 },
    );
    expect(plainIdOf(Buffer.from('{"v":2,"id" :\t"d-1","text":"x"}'))).toBe('d-1');
    expect(plainIdOf(Buffer.from('{"id":"a\\"b"}'))).toBeUndefined();
    expect(plainIdOf(Buffer.from('{"text":"no id"}'))).toBeUndefined();
  });

  it('sees a surrogate escape exactly when the string pattern does', () => {
    fc.assert(
      fc.property(line, (text) => {
        expect(hasSurrogateEscape(Buffer.from(text))).toBe(/\\u[dD][89a-fA-F]/.test(text));
      }),
      { numRuns: 3000 },
    );
    expect(hasSurrogateEscape(Buffer.from('{"text":"\\uD83D"}'))).toBe(true);
    expect(hasSurrogateEscape(Buffer.from('{"text":"\\u0159"}'))).toBe(false);
  });

  it('calls a line braced only when the trimmed string is', () => {
    fc.assert(
      fc.property(line, (text) => {
        if (bracedAsObject(Buffer.from(text))) expect(stringBraced(text)).toBe(true);
      }),
      { numRuns: 3000 },
    );
    expect(bracedAsObject(Buffer.from(' \t{"id":"1"}\r'))).toBe(true);
    expect(bracedAsObject(Buffer.from('{'))).toBe(false);
    expect(bracedAsObject(Buffer.from('[1]'))).toBe(false);
  });

  it('treats spaces, tabs and carriage returns as blank, nothing else', () => {
    expect(isJsonBlank(Buffer.from(' \t\r'))).toBe(true);
    expect(isJsonBlank(Buffer.from(''))).toBe(true);
    expect(isJsonBlank(Buffer.from(' \u00a0'))).toBe(false);
  });
});
