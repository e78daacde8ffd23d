"use client";

import { useEffect, useRef, useState, type ReactNode } from "react";

interface SecretOnceProps {
  title: ReactNode;
  secret: string;
  /** `secret-value` for tokens and keys, `initial-password` for a generated password. */
  valueTestId?: string;
  onDismiss: () => void;
  children?: ReactNode;
}

/** A secret the server answers exactly once: shown loudly, copyable, gone when dismissed. */
export function SecretOnce({ title, secret, valueTestId = "secret-value", onDismiss, children }: SecretOnceProps) {
  const box = useRef<HTMLElement>(null);
  // The form that made it may sit below a long table; bring the one chance to copy into view.
  useEffect(() => {
    box.current?.focus();
    box.current?.scrollIntoView({ block: "nearest" });
  }, [secret]);

  return (
    <section
      ref={box}
      tabIndex={-1}
      data-testid="secret-once"
      aria-label="New secret"
      className="space-y-3 rounded-lg border-2 border-amber-400 bg-amber-50 p-5 text-sm text-amber-950 outline-none"
    >
      <div>
        <h3 className="text-base font-semibold">{title}</h3>
        <p className="mt-1 font-medium">Copy it now: it is not shown again.</p>
      </div>
      <div className="flex items-stretch gap-2">
        <code data-testid={valueTestId} className="flex-1 rounded border border-amber-300 bg-white px-3 py-2 font-mono break-all select-all">
          {secret}
        </code>
        <CopyButton text={secret} />
      </div>
      {children}
      <button type="button" onClick={onDismiss} className="text-sm font-semibold text-amber-900 hover:underline">
        Done, I have stored it
      </button>
    </section>
  );
}

function CopyButton({ text }: { text: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      // No clipboard outside a secure context (plain http on a LAN host); the text is select-all.
      setState("failed");
    }
  }
  return (
    <button
      type="button"
      onClick={() => void copy()}
      className="shrink-0 rounded border border-amber-400 bg-white px-3 py-2 font-semibold hover:bg-amber-100"
    >
      {state === "copied" ? "Copied" : state === "failed" ? "Select and copy" : "Copy"}
    </button>
  );
}
