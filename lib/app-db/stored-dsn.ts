import { usesEmbeddedDatabase } from "@/lib/db/client";
import { decryptSecret } from "@/lib/secrets/secret-cipher";
import { loadSecretKey } from "@/lib/secrets/secret-key";

export const UNREADABLE_DSN = "The stored DSN cannot be decrypted with this instance's key (RAMPART_SECRET_KEY or .data/secret.key changed); remove and add the database again.";

/** The DSN, or null when this instance's key cannot decrypt it (another key, or the file was lost). */
export function storedDsn(ciphertext: string): string | null {
  const key = loadSecretKey({ embedded: usesEmbeddedDatabase() });
  try {
    return decryptSecret(key, ciphertext);
  } catch {
    return null;
  }
}
