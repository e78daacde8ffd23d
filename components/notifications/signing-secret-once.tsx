"use client";

import { SecretOnce } from "@/components/settings/secret-once";

interface SigningSecretOnceProps {
  destinationName: string;
  secret: string;
  /** A rotated secret replaces one that receivers still check. */
  rotated?: boolean;
  onDismiss: () => void;
}

/** A webhook's signing secret, shown once after it is made, with how the receiver checks it. */
export function SigningSecretOnce({ destinationName, secret, rotated = false, onDismiss }: SigningSecretOnceProps) {
  return (
    <SecretOnce title={<>{rotated ? "New signing secret" : "Signing secret"} for “{destinationName}”</>} secret={secret} onDismiss={onDismiss}>
      {rotated ? <p className="font-medium">The old secret no longer signs anything: give the receiver this one now.</p> : null}
      <p>
        Every request carries <code className="font-mono">Rampart-Signature: t=&lt;unix&gt;,v1=&lt;hex&gt;</code>, where{" "}
        <code className="font-mono">v1</code> is the HMAC-SHA256 of <code className="font-mono">&lt;t&gt;.&lt;raw body&gt;</code> with this secret.
        The receiver recomputes it, compares in constant time, and refuses a <code className="font-mono">t</code> more than five minutes old (a
        replay). <code className="font-mono">Rampart-Event-Id</code> is the idempotency key: a delivery may come more than once.
      </p>
      <p>
        The README&apos;s <strong>Notifications</strong> section has the payload and a verify function to copy.
      </p>
    </SecretOnce>
  );
}
