import { usesEmbeddedDatabase } from "@/lib/db/client";
import { decryptSecret, encryptSecret } from "@/lib/secrets/secret-cipher";
import { loadSecretKey } from "@/lib/secrets/secret-key";
import type { DestinationRow } from "./delivery-store";

/** The URL and signing secret, decrypted only to send: never returned, never logged. */
export function destinationSecrets(destination: Pick<DestinationRow, "urlCiphertext" | "signingSecretCiphertext">): { url: string; signingSecret: string | null } {
  const key = loadSecretKey({ embedded: usesEmbeddedDatabase(), field: "url" });
  return {
    url: decryptSecret(key, destination.urlCiphertext),
    signingSecret: destination.signingSecretCiphertext ? decryptSecret(key, destination.signingSecretCiphertext) : null,
  };
}

export function encryptDestinationSecret(secret: string): string {
  return encryptSecret(loadSecretKey({ embedded: usesEmbeddedDatabase(), field: "url" }), secret);
}
