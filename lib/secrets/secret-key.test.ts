import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret } from "./secret-cipher";
import { loadSecretKey, secretKeyFile } from "./secret-key";

const dataDir = mkdtempSync(path.join(tmpdir(), "rampart-key-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const DSN = "postgres://monitor:s3cret-pass@db.internal:5432/orders";

describe("the key application database credentials are encrypted with", () => {
  it("is generated once into the data directory, mode 0600, and read back the same", () => {
    const first = loadSecretKey({ env: {}, embedded: true, dataDir });
    const file = secretKeyFile(dataDir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, "utf8").trim(), "base64")).toEqual(first);
    expect(loadSecretKey({ env: {}, embedded: true, dataDir })).toEqual(first);
    expect(first).toHaveLength(32);
  });

  it("comes from RAMPART_SECRET_KEY when set, and must be long enough", () => {
    const env = { RAMPART_SECRET_KEY: "x".repeat(32) };
    expect(loadSecretKey({ env, embedded: false })).toEqual(loadSecretKey({ env, embedded: true, dataDir }));
    expect(() => loadSecretKey({ env: { RAMPART_SECRET_KEY: "short" }, embedded: false })).toThrow(/at least 32 characters/);
  });

  it("is never generated on PostgreSQL, where every instance needs the same one", () => {
    expect(() => loadSecretKey({ env: {}, embedded: false })).toThrow(/Set RAMPART_SECRET_KEY/);
    expect(() => loadSecretKey({ env: { RAMPART_DATA_DIR: "memory://" }, embedded: true })).toThrow(/Set RAMPART_SECRET_KEY/);
  });
});

describe("a stored DSN", () => {
  const key = loadSecretKey({ env: { RAMPART_SECRET_KEY: "k".repeat(40) }, embedded: false });

  it("reads back as it was, and holds nothing of it in the clear", () => {
    const stored = encryptSecret(key, DSN);
    expect(stored.startsWith("v1:")).toBe(true);
    expect(stored).not.toContain("s3cret");
    expect(Buffer.from(stored.slice(3), "base64").toString("latin1")).not.toContain("s3cret");
    expect(decryptSecret(key, stored)).toBe(DSN);
    expect(encryptSecret(key, DSN)).not.toBe(stored);
  });

  it("refuses a changed byte or another key", () => {
    const stored = encryptSecret(key, DSN);
    const bytes = Buffer.from(stored.slice(3), "base64");
    bytes[bytes.length - 1] ^= 1;
    expect(() => decryptSecret(key, `v1:${bytes.toString("base64")}`)).toThrow();
    const other = loadSecretKey({ env: { RAMPART_SECRET_KEY: "o".repeat(40) }, embedded: false });
    expect(() => decryptSecret(other, stored)).toThrow();
  });
});
