import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Actor } from "@/lib/auth/actor";
import type { ServiceContext } from "@/lib/context";
import { createCredential } from "@/lib/credentials/create-credential";
import { isSecretHashRegistered } from "@/lib/credentials/credential-store";
import { hashSecret } from "@/lib/credentials/secrets";
import type { Db } from "@/lib/db/client";
import { createUser } from "@/lib/users/create-user";
import { countUsers } from "@/lib/users/user-store";

// In lib/setup, above users and credentials: both build on lib/auth's roles and actors, so from
// lib/auth this setup made auth import them back, a cycle between folders.

const FIRST_RUN_LOCK_ID = 7_204_316_002;
const firstRunActor: Actor = { kind: "controller", name: "first-run", role: "admin", environment: null };

/** Read from process.env: RAMPART_ADMIN_EMAIL, RAMPART_ADMIN_PASSWORD, RAMPART_INIT_ADMIN_TOKEN, RAMPART_INIT_SDK_KEYS. */
export type FirstRunSettings = Record<string, string | undefined>;

/**
 * At start-up: the first admin when there are no users, and the API token and SDK keys named
 * in the environment when they do not exist yet (a revoked one stays revoked). Instances
 * starting together serialise on an advisory lock.
 */
export async function runFirstRunSetup(db: Db, settings: FirstRunSettings, log: (line: string) => void = console.log) {
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${FIRST_RUN_LOCK_ID})`);
    const ctx: ServiceContext = { db: tx, actor: firstRunActor, source: "controller" };

    if ((await countUsers(tx)) === 0) {
      const email = settings.RAMPART_ADMIN_EMAIL || "admin@rampart.local";
      const password = settings.RAMPART_ADMIN_PASSWORD || randomBytes(12).toString("base64url");
      await createUser({ ctx, input: { email, name: "Admin", role: "admin", password } });
      log(
        settings.RAMPART_ADMIN_PASSWORD
          ? `[rampart] created the first admin: ${email} (password from RAMPART_ADMIN_PASSWORD)`
          : `[rampart] created the first admin: ${email} with password ${password} (shown once; change it by creating your own admin)`,
      );
    }

    const adminToken = settings.RAMPART_INIT_ADMIN_TOKEN;
    if (adminToken && !(await isSecretHashRegistered(tx, "api-token", hashSecret(adminToken)))) {
      // The fingerprint keeps names unique when the secret is rotated after a revocation.
      const name = `init-admin-${hashSecret(adminToken).slice(0, 6)}`;
      await createCredential({ ctx, kind: "api-token", input: { name, role: "admin" }, secret: adminToken });
      log(`[rampart] registered the admin API token from RAMPART_INIT_ADMIN_TOKEN as ${name}`);
    }

    for (const { environment, secret } of parseInitSdkKeys(settings.RAMPART_INIT_SDK_KEYS)) {
      if (await isSecretHashRegistered(tx, "sdk-key", hashSecret(secret))) continue;
      await createCredential({ ctx, kind: "sdk-key", input: { name: `init-${environment}`, environment }, secret });
      log(`[rampart] registered the ${environment} SDK key from RAMPART_INIT_SDK_KEYS`);
    }
  });
}

/** `production:<secret>,staging:<secret>` → pairs; a malformed entry stops start-up with its reason. */
export function parseInitSdkKeys(value: string | undefined): { environment: string; secret: string }[] {
  if (!value?.trim()) return [];
  return value.split(",").map((entry) => {
    const separator = entry.indexOf(":");
    const environment = entry.slice(0, separator).trim();
    const secret = entry.slice(separator + 1).trim();
    if (separator < 1 || secret.length < 16) {
      throw new Error(`RAMPART_INIT_SDK_KEYS: "${entry.trim()}" must be <environment>:<secret of 16+ characters>`);
    }
    return { environment, secret };
  });
}
