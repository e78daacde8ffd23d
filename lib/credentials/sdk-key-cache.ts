import type { Actor } from "@/lib/auth/actor";

// A fleet authenticates every metrics batch and every stream with its SDK key: remembered for a
// few seconds, that costs no query. A revocation forgets at once on the instance that made it;
// other instances stop accepting the key within the TTL.
export const SDK_KEY_CACHE_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

const holder = globalThis as typeof globalThis & { __rampartSdkKeys?: Map<string, { actor: Actor; until: number }> };
const remembered = (holder.__rampartSdkKeys ??= new Map());

export function rememberedSdkKey(secretHash: string, now = Date.now()): Actor | undefined {
  const entry = remembered.get(secretHash);
  if (entry && entry.until > now) return entry.actor;
  if (entry) remembered.delete(secretHash);
  return undefined;
}

export function rememberSdkKey(secretHash: string, actor: Actor, now = Date.now()): void {
  // Bounded against a flood of distinct keys: the oldest entry goes first.
  if (remembered.size >= MAX_ENTRIES) remembered.delete(remembered.keys().next().value!);
  remembered.set(secretHash, { actor, until: now + SDK_KEY_CACHE_TTL_MS });
}

export function forgetSdkKeys(): void {
  remembered.clear();
}
