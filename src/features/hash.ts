/**
 * FNV-1a, 32-bit, over the UTF-8 bytes of a string. Chosen because it is tiny, fast, has no
 * dependencies and is trivial to reimplement in any language, which the artifact format needs:
 * a service in another language must map feature strings to the same ids.
 *
 * offset basis 2166136261, prime 16777619; the result is an unsigned 32-bit integer.
 *
 * @example
 * fnv1a32('a') // → 3826002220 (0xe40c292c)
 */
export function fnv1a32(text: string): number {
  return fnv1a32Continue(FNV_OFFSET_BASIS, text) >>> 0;
}

export const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * Feeds one Unicode code point, as its UTF-8 bytes, into a running FNV-1a state. The state is
 * a signed 32-bit integer; take `>>> 0` for the unsigned hash. Lets the featurizer hash
 * "prefix + n-gram" without building the string.
 */
export function fnv1a32AddCodePoint(hash: number, codePoint: number): number {
  if (codePoint < 0x80) return Math.imul(hash ^ codePoint, FNV_PRIME);
  if (codePoint < 0x800) {
    hash = Math.imul(hash ^ (0xc0 | (codePoint >> 6)), FNV_PRIME);
    return Math.imul(hash ^ (0x80 | (codePoint & 0x3f)), FNV_PRIME);
  }
  if (codePoint < 0x10000) {
    hash = Math.imul(hash ^ (0xe0 | (codePoint >> 12)), FNV_PRIME);
    hash = Math.imul(hash ^ (0x80 | ((codePoint >> 6) & 0x3f)), FNV_PRIME);
    return Math.imul(hash ^ (0x80 | (codePoint & 0x3f)), FNV_PRIME);
  }
  hash = Math.imul(hash ^ (0xf0 | (codePoint >> 18)), FNV_PRIME);
  hash = Math.imul(hash ^ (0x80 | ((codePoint >> 12) & 0x3f)), FNV_PRIME);
  hash = Math.imul(hash ^ (0x80 | ((codePoint >> 6) & 0x3f)), FNV_PRIME);
  return Math.imul(hash ^ (0x80 | (codePoint & 0x3f)), FNV_PRIME);
}

/** Feeds the UTF-8 bytes of `text` into a running FNV-1a state (see {@link fnv1a32AddCodePoint}). */
export function fnv1a32Continue(hash: number, text: string): number {
  for (let index = 0; index < text.length; index++) {
    // codePointAt joins a surrogate pair into one code point (a lone surrogate stays as it is).
    const codePoint = text.codePointAt(index)!;
    if (codePoint > 0xffff) index++;
    hash = fnv1a32AddCodePoint(hash, codePoint);
  }
  return hash;
}
