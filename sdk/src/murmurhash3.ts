const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function scrambleBlock(k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, C2);
}

function mixBlock(h: number, k: number): number {
  h ^= scrambleBlock(k);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** MurmurHash3 x86 32-bit of the UTF-8 bytes of `input`, as an unsigned 32-bit integer. */
export function murmurhash3_x86_32(input: string, seed = 0): number {
  return murmurhash3Joined(input, "", "", seed);
}

/**
 * `murmurhash3_x86_32(head + separator + tail, seed)` without building that string: the
 * evaluator's hot path allocates nothing. A non-empty separator must be ASCII, so that no
 * surrogate pair spans a join. UTF-8 is encoded on the fly (lone surrogates → U+FFFD, as
 * TextEncoder does); runs of four ASCII characters are mixed as one block.
 */
export function murmurhash3Joined(head: string, separator: string, tail: string, seed = 0): number {
  let h = seed | 0;
  let pending = 0; // bytes not yet mixed, little-endian
  let pendingCount = 0; // 0..3
  let byteLength = 0;
  for (let segment = 0; segment < 3; segment++) {
    const input = segment === 0 ? head : segment === 1 ? separator : tail;
    const length = input.length;
    let i = 0;
    while (i < length) {
      if (i + 3 < length) {
        const c0 = input.charCodeAt(i);
        const c1 = input.charCodeAt(i + 1);
        const c2 = input.charCodeAt(i + 2);
        const c3 = input.charCodeAt(i + 3);
        if ((c0 | c1 | c2 | c3) < 0x80) {
          const word = c0 | (c1 << 8) | (c2 << 16) | (c3 << 24);
          if (pendingCount === 0) {
            h = mixBlock(h, word);
          } else {
            // Shift is 8..24 bits here; a 32-bit shift would be a no-op in JavaScript.
            const shift = pendingCount << 3;
            h = mixBlock(h, pending | (word << shift));
            pending = word >>> (32 - shift);
          }
          byteLength += 4;
          i += 4;
          continue;
        }
      }
      // One code point → its UTF-8 bytes packed little-endian in `bytes`, `count` of them.
      let c = input.charCodeAt(i++);
      let bytes: number;
      let count: number;
      if (c < 0x80) {
        bytes = c;
        count = 1;
      } else if (c < 0x800) {
        bytes = (0xc0 | (c >> 6)) | ((0x80 | (c & 0x3f)) << 8);
        count = 2;
      } else if (c >= 0xd800 && c <= 0xdbff && i < length && (input.charCodeAt(i) & 0xfc00) === 0xdc00) {
        c = 0x10000 + ((c - 0xd800) << 10) + (input.charCodeAt(i++) - 0xdc00);
        bytes =
          (0xf0 | (c >> 18)) |
          ((0x80 | ((c >> 12) & 0x3f)) << 8) |
          ((0x80 | ((c >> 6) & 0x3f)) << 16) |
          ((0x80 | (c & 0x3f)) << 24);
        count = 4;
      } else {
        if ((c & 0xf800) === 0xd800) c = 0xfffd; // lone surrogate
        bytes = (0xe0 | (c >> 12)) | ((0x80 | ((c >> 6) & 0x3f)) << 8) | ((0x80 | (c & 0x3f)) << 16);
        count = 3;
      }
      byteLength += count;
      const shift = pendingCount << 3;
      pendingCount += count;
      if (pendingCount < 4) {
        pending |= bytes << shift;
      } else {
        h = mixBlock(h, pending | (bytes << shift));
        pendingCount -= 4;
        // Bytes are left over only when shift ≥ 8, so this is an 8..24-bit shift.
        pending = pendingCount === 0 ? 0 : bytes >>> (32 - shift);
      }
    }
  }
  if (pendingCount > 0) h ^= scrambleBlock(pending);
  h ^= byteLength;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
