/**
 * Questions asked of one log line's raw bytes, so that finding a file's bad lines again does not
 * decode millions of good lines into strings. Each answers exactly as the string version would
 * or says "look at the text" (`undefined`), which callers then do.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const ID_KEY = Buffer.from('"id"');
const UNICODE_ESCAPE = Buffer.from('\\u');

/** ASCII white space as String.prototype.trim removes it (space, \t, \n, \v, \f, \r). */
function isAsciiSpace(byte: number): boolean {
  return byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);
}

/** Blank for the JSON reader: nothing but spaces, tabs and carriage returns (it emits no row). */
export function isJsonBlank(bytes: Buffer): boolean {
  for (const byte of bytes) if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) return false;
  return true;
}

/**
 * True when the line, trimmed of ASCII white space, starts with `{` and ends with `}`. False
 * means only that the bytes did not show it: other Unicode spaces around the braces are left to
 * the string check.
 */
export function bracedAsObject(bytes: Buffer): boolean {
  let start = 0;
  let end = bytes.length - 1;
  while (start <= end && isAsciiSpace(bytes[start])) start++;
  while (end >= start && isAsciiSpace(bytes[end])) end--;
  return start < end && bytes[start] === 0x7b && bytes[end] === 0x7d;
}

/**
 * The string value of the first `"id": "…"` in the line when it can be read straight from the
 * bytes (ASCII spacing, no escapes in the value); `undefined` when the text has to be asked.
 * Only called on valid UTF-8.
 */
export function plainIdOf(bytes: Buffer): string | undefined {
  const key = bytes.indexOf(ID_KEY);
  if (key === -1) return undefined;
  let at = key + ID_KEY.length;
  while (at < bytes.length && isAsciiSpace(bytes[at])) at++;
  if (bytes[at] !== 0x3a) return undefined;
  at++;
  while (at < bytes.length && isAsciiSpace(bytes[at])) at++;
  if (bytes[at] !== QUOTE) return undefined;
  const start = at + 1;
  for (at = start; at < bytes.length; at++) {
    if (bytes[at] === QUOTE) return bytes.toString('utf8', start, at);
    if (bytes[at] === BACKSLASH) return undefined;
  }
  return undefined;
}

/** Whether the line holds a `\uD800`–`\uDFFF` escape (the JSON reader refuses lone surrogates). */
export function hasSurrogateEscape(bytes: Buffer): boolean {
  for (let at = bytes.indexOf(UNICODE_ESCAPE); at !== -1; at = bytes.indexOf(UNICODE_ESCAPE, at + 1)) {
    const high = bytes[at + 2];
    const next = bytes[at + 3];
    if ((high === 0x64 || high === 0x44) && ((next >= 0x38 && next <= 0x39) || (next >= 0x61 && next <= 0x66) || (next >= 0x41 && next <= 0x46))) return true;
  }
  return false;
}
