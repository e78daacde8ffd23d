import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

// AES-256-GCM: a stored secret (a DSN, a webhook URL) cannot be read without the key, nor altered without detection.
// Stored as "v1:" + base64(iv ‖ tag ‖ ciphertext), so a later scheme can sit beside it.

const VERSION = "v1:";

export function encryptSecret(key: Buffer, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ciphertext = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return VERSION + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64");
}

export function decryptSecret(key: Buffer, stored: string): string {
  if (!stored.startsWith(VERSION)) throw new Error("unknown secret encryption scheme");
  const bytes = Buffer.from(stored.slice(VERSION.length), "base64");
  const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, 12));
  decipher.setAuthTag(bytes.subarray(12, 28));
  return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString("utf8");
}
