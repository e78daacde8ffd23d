import { usesEmbeddedDatabase } from "@/lib/db/client";
import { decryptDsn } from "./dsn-cipher";
import { loadSecretKey } from "./secret-key";

export const UNREADABLE_DSN = "The stored DSN cannot be decrypted with this instance's key (RAMPART_SECRET_KEY or .data/secret.key changed); remove and add the database again.";

/** The DSN, or null when this instance's key cannot decrypt it (another key, or the file was lost). */
export function storedDsn(ciphertext: string): string | null {
  const key = loadSecretKey({ embedded: usesEmbeddedDatabase() });
  try {
    return decryptDsn(key, ciphertext);
  } catch {
    return null;
  }
}
