import { createHash, randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ConflictError } from "@/lib/errors";

/** Where the embedded default keeps its generated key: beside the PGlite data, never in the database. */
export function secretKeyFile(dataDir = process.env.RAMPART_DATA_DIR || path.join(process.cwd(), ".data")): string {
  return path.resolve(dataDir, "secret.key");
}

/**
 * The 256-bit key stored secrets (application database DSNs, webhook URLs) are encrypted with. RAMPART_SECRET_KEY wins
 * (hashed, so any long passphrase works). On the embedded database one is generated into the data
 * directory, mode 0600, on first use. On PostgreSQL every instance needs the same key, so none is
 * generated: storing a credential without it is refused, naming the variable.
 */
export function loadSecretKey(options: { env?: Partial<NodeJS.ProcessEnv>; embedded: boolean; dataDir?: string; field?: string }): Buffer {
  const field = options.field ?? "dsn";
  const env = options.env ?? process.env;
  const configured = env.RAMPART_SECRET_KEY;
  if (configured) {
    if (configured.length < 32) throw missingKey("RAMPART_SECRET_KEY must be at least 32 characters.", field);
    return createHash("sha256").update(configured, "utf8").digest();
  }
  const dataDir = options.dataDir ?? env.RAMPART_DATA_DIR;
  if (!options.embedded || dataDir?.startsWith("memory://")) {
    throw missingKey("Set RAMPART_SECRET_KEY (32 characters or more, the same on every instance) to store credentials and webhook secrets.", field);
  }
  const file = secretKeyFile(dataDir || undefined);
  try {
    return decodeKeyFile(readFileSync(file, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    // "wx": two first uses at once must not each write a different key.
    writeFileSync(file, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  chmodSync(file, 0o600);
  return decodeKeyFile(readFileSync(file, "utf8"));
}

function decodeKeyFile(text: string): Buffer {
  const key = Buffer.from(text.trim(), "base64");
  if (key.length !== 32) throw new Error("The secret key file does not hold a 256-bit base64 key.");
  return key;
}

function missingKey(message: string, field: string): ConflictError {
  return new ConflictError("secret_key_missing", message, [{ path: field, message: "cannot be stored without RAMPART_SECRET_KEY" }]);
}
