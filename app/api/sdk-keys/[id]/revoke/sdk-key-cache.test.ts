import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { POST as revokeRoute } from "@/app/api/sdk-keys/[id]/revoke/route";
import { GET as snapshot } from "@/app/api/sdk/flags/route";
import { sdkKeys } from "@/testing/db";
import { getDb } from "@/testing/db";
import { callRoute, givenSdkKey } from "@/testing/api";
import { rememberedSdkKey } from "@/lib/credentials/sdk-key-cache";
import { hashSecret } from "@/lib/credentials/secrets";

describe("SDK keys remembered between requests", () => {
  it("answer a second request without a lookup, and stop working at once when revoked here", async () => {
    const secret = await givenSdkKey("staging");
    expect((await callRoute(snapshot, { path: "/api/sdk/flags", as: secret })).status).toBe(200);
    expect(rememberedSdkKey(hashSecret(secret))).toMatchObject({ kind: "sdk", environment: "staging" });

    const db = await getDb();
    const [row] = await db.select({ id: sdkKeys.id }).from(sdkKeys).where(eq(sdkKeys.secretHash, hashSecret(secret)));
    const revoked = await callRoute(revokeRoute, { method: "POST", path: `/api/sdk-keys/${row.id}/revoke`, params: { id: String(row.id) } });
    expect(revoked.status).toBe(200);
    expect(rememberedSdkKey(hashSecret(secret))).toBeUndefined();
    expect((await callRoute(snapshot, { path: "/api/sdk/flags", as: secret })).status).toBe(401);
  });
});
