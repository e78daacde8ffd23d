// Writes sdk/test-vectors.json: salt/value → hash and bucket, so SDKs in other languages can
// check their bucketing. sdk/src/murmurhash3.test.ts re-checks every hash against an
// independent reference. Run: node --import tsx scripts/generate-test-vectors.mts
import { writeFileSync } from "node:fs";
import path from "node:path";
import { BUCKETS, bucketOf, murmurhash3_x86_32 } from "@rampart/sdk";

const SEED_FLAGS = ["schema_v2", "enable_orders_v2_total"];

const values = [
  ...Array.from({ length: 12 }, (_, i) => `user-${i + 1}`),
  "0", "1", "42", "12345", "-1", "3.14", "9007199254740993",
  "ünïcødé", "用户", "🚀", "user-🚀-1",
  " ", "a:b", "USER-1",
  // ~300 characters, mixing ASCII with two- and three-byte characters.
  "long-" + "abcdefghij".repeat(25) + "-ünïcødé-用户-" + "0123456789".repeat(4),
];

const pairs: Array<[salt: string, value: string]> = [
  ...SEED_FLAGS.flatMap((salt) => values.map((value): [string, string] => [salt, value])),
  // An explicit rollout.salt replaces the flag key.
  ["orders-total-2026", "user-1"],
  ["orders-total-2026", "user-2"],
];

const vectors = pairs.map(([salt, value]) => {
  const hash = murmurhash3_x86_32(`${salt}:${value}`, 0);
  const bucket = bucketOf(salt, value);
  if (bucket !== hash % BUCKETS) throw new Error(`bucketOf disagrees with the hash for ${salt}:${value}`);
  return { salt, value, hash, bucket };
});

const body = [
  "{",
  `  "algorithm": ${JSON.stringify('murmurhash3_x86_32(utf8(salt + ":" + value), seed 0) mod 10000')},`,
  `  "rule": ${JSON.stringify("on iff bucket < round(percentage * 100); salt defaults to the flag key; numeric values are formatted as JavaScript String(n)")},`,
  '  "vectors": [',
  vectors.map((vector) => `    ${JSON.stringify(vector)}`).join(",\n"),
  "  ]",
  "}",
  "",
].join("\n");

const target = path.resolve(import.meta.dirname, "../sdk/test-vectors.json");
writeFileSync(target, body);
console.log(`wrote ${vectors.length} vectors to ${path.relative(process.cwd(), target)}`);
