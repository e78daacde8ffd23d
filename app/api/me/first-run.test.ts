import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { GET as me } from "@/app/api/me/route";
import { getDb } from "@/testing/db";
import { callRoute, signIn, testContext } from "@/testing/api";
import { listCredentials } from "@/lib/credentials/credential-store";
import { revokeCredential } from "@/lib/credentials/revoke-credential";
import { countUsers } from "@/lib/users/user-store";
import { runFirstRunSetup } from "@/lib/setup/first-run";

describe("first-run setup", () => {
  it("registers the init admin token and SDK keys once, and leaves a revoked one revoked", async () => {
    const db = await getDb();
    const adminToken = `init-${randomBytes(16).toString("hex")}`;
    const stagingKey = `sdk-${randomBytes(16).toString("hex")}`;
    const settings = { RAMPART_INIT_ADMIN_TOKEN: adminToken, RAMPART_INIT_SDK_KEYS: `staging:${stagingKey}` };
    const lines: string[] = [];

    await runFirstRunSetup(db, settings, (line) => lines.push(line));
    await runFirstRunSetup(db, settings, (line) => lines.push(line));

    expect(lines.filter((l) => l.includes("RAMPART_INIT_ADMIN_TOKEN"))).toHaveLength(1);
    expect(lines.filter((l) => l.includes("RAMPART_INIT_SDK_KEYS"))).toHaveLength(1);
    expect((await callRoute(me, { path: "/api/me", as: adminToken })).body).toMatchObject({ kind: "token", role: "admin" });
    expect((await callRoute(me, { path: "/api/me", as: stagingKey })).status).toBe(403);
    expect(JSON.stringify(await listCredentials(db, "api-token"))).not.toContain(adminToken);

    const initToken = (await listCredentials(db, "api-token")).find((t) => t.name.startsWith("init-admin-") && t.revokedAt === null && lines.some((l) => l.endsWith(t.name)))!;
    await revokeCredential({ ctx: await testContext(), kind: "api-token", input: { id: initToken.id } });
    await runFirstRunSetup(db, settings, (line) => lines.push(line));
    expect((await callRoute(me, { path: "/api/me", as: adminToken })).status).toBe(401);
  });

  it("creates the first admin only when there are no users, printing a generated password once", async () => {
    const db = await getDb();
    const lines: string[] = [];
    const hadUsers = (await countUsers(db)) > 0;
    await runFirstRunSetup(db, { RAMPART_ADMIN_EMAIL: "first@example.test" }, (line) => lines.push(line));
    await runFirstRunSetup(db, { RAMPART_ADMIN_EMAIL: "first@example.test" }, (line) => lines.push(line));
    if (hadUsers) {
      // On a database shared with other tests users exist already: nothing may be created.
      expect(lines.filter((l) => l.includes("first admin"))).toEqual([]);
      return;
    }
    expect(lines.filter((l) => l.includes("first admin"))).toHaveLength(1);
    const password = /with password (\S+)/.exec(lines[0])?.[1];
    expect(password).toBeTruthy();
    expect((await signIn("first@example.test", password!, "198.51.100.30")).status).toBe(200);
  });
});
