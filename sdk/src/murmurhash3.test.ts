import { readFileSync } from "node:fs";
import fc from "fast-check";
import murmurhash from "murmurhash";
import { describe, expect, it } from "vitest";
import { BUCKETS, bucketOf } from "./evaluator";
import { murmurhash3_x86_32, murmurhash3Joined } from "./murmurhash3";

/** Straight from the MurmurHash3 spec over Node's UTF-8 encoding: independent of the code under test. */
function referenceMurmur3(input: string, seed = 0): number {
  const bytes = Buffer.from(input, "utf8");
  const blocks = bytes.length >> 2;
  let h = seed >>> 0;
  const scramble = (k: number) => Math.imul(rotl(Math.imul(k, 0xcc9e2d51), 15), 0x1b873593);
  for (let b = 0; b < blocks; b++) {
    h = rotl(h ^ scramble(bytes.readUInt32LE(b * 4)), 13);
    h = (Math.imul(h, 5) + 0xe6546b64) >>> 0;
  }
  let tail = 0;
  for (let t = bytes.length - 1; t >= blocks * 4; t--) tail = (tail << 8) | bytes[t]!;
  if (bytes.length & 3) h ^= scramble(tail);
  h ^= bytes.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

// Any UTF-16 code units, lone surrogates included, so that U+FFFD replacement is exercised.
const anyUtf16 = fc
  .array(fc.oneof(fc.integer({ min: 0, max: 0x7f }), fc.integer({ min: 0, max: 0xffff })), { maxLength: 40 })
  .map((units) => String.fromCharCode(...units));
const anyText = fc.oneof(fc.string({ unit: "binary", maxLength: 40 }), anyUtf16, fc.string({ maxLength: 40 }));
const anySeed = fc.integer({ min: 0, max: 0xffffffff });

describe("murmurhash3_x86_32", () => {
  it.each([
    ["", 0, 0],
    ["", 1, 0x514e28b7],
    ["", 0xffffffff, 0x81f16f39],
    ["hello", 0, 613153351],
    ["abc", 0, 0xb3dd93fa],
    ["abcd", 0, 0x43ed676a],
    ["Hello, world!", 0x9747b28c, 0x24884cba],
    ["The quick brown fox jumps over the lazy dog", 0, 0x2e4ff723],
    ["The quick brown fox jumps over the lazy dog", 0x9747b28c, 0x2fa826cd],
  ])("hashes %j with seed %i to the published value", (input, seed, expected) => {
    expect(murmurhash3_x86_32(input, seed)).toBe(expected);
    expect(referenceMurmur3(input, seed)).toBe(expected);
  });

  it("hashes UTF-8 bytes: multi-byte characters, surrogate pairs and lone surrogates (as U+FFFD)", () => {
    for (const input of ["ü", "用户", "🚀", "a🚀b", "\ud800", "x\udc00y", "\ud83d", "\u07ff\u0800\uffff"]) {
      expect(murmurhash3_x86_32(input), input).toBe(referenceMurmur3(input));
    }
    expect(murmurhash3_x86_32("\ud800")).toBe(murmurhash3_x86_32("\ufffd"));
  });

  it("matches the reference and the murmurhash package on random text and seeds", () => {
    fc.assert(
      fc.property(anyText, anySeed, (input, seed) => {
        const expected = referenceMurmur3(input, seed);
        expect(murmurhash3_x86_32(input, seed)).toBe(expected);
        // murmurhash 2.x hashes TextEncoder's UTF-8 bytes, so it is comparable on non-ASCII too.
        expect(murmurhash.v3(input, seed)).toBe(expected);
      }),
      { numRuns: 2_000 },
    );
  });

  it("hashes head + separator + tail without building the string", () => {
    fc.assert(
      fc.property(anyText, anyText, anySeed, (head, tail, seed) => {
        expect(murmurhash3Joined(head, ":", tail, seed)).toBe(referenceMurmur3(`${head}:${tail}`, seed));
      }),
      { numRuns: 2_000 },
    );
  });
});

interface TestVector { salt: string; value: string; hash: number; bucket: number }

describe("sdk/test-vectors.json", () => {
  const file = JSON.parse(readFileSync(new URL("../test-vectors.json", import.meta.url), "utf8")) as {
    algorithm: string;
    vectors: TestVector[];
  };

  it("covers the seed flags, numbers, unicode and a long value", () => {
    const values = file.vectors.map((vector) => vector.value);
    expect(file.vectors.length).toBeGreaterThanOrEqual(50);
    expect(new Set(file.vectors.map((vector) => vector.salt))).toEqual(
      new Set(["schema_v2", "enable_orders_v2_total", "orders-total-2026"]),
    );
    expect(values).toEqual(expect.arrayContaining(["user-1", "0", "ünïcødé", "用户", "🚀"]));
    expect(Math.max(...values.map((value) => value.length))).toBeGreaterThanOrEqual(300);
  });

  it.each(file.vectors)("$salt : $value → bucket $bucket", ({ salt, value, hash, bucket }) => {
    expect(referenceMurmur3(`${salt}:${value}`, 0)).toBe(hash);
    expect(hash % BUCKETS).toBe(bucket);
    expect(bucketOf(salt, value)).toBe(bucket);
  });
});
