import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as createEnvironment } from "@/app/api/environments/route";
import { POST as killFlag } from "@/app/api/flags/[key]/kill/route";
import { POST as restoreFlag } from "@/app/api/flags/[key]/restore/route";
import { PATCH as patchFlag } from "@/app/api/flags/[key]/route";
import { POST as createFlag } from "@/app/api/flags/route";
import { POST as revokeSdkKey } from "@/app/api/sdk-keys/[id]/revoke/route";
import { POST as createSdkKey } from "@/app/api/sdk-keys/route";
import { POST as revokeToken } from "@/app/api/tokens/[id]/revoke/route";
import { POST as createToken } from "@/app/api/tokens/route";
import { PATCH as updateUser } from "@/app/api/users/[id]/route";
import { POST as createUser } from "@/app/api/users/route";
import { auditEvents } from "@/testing/db";
import { getDb } from "@/testing/db";
import { createCredential } from "@/lib/credentials/create-credential";
import {
  callRoute,
  givenFlag,
  givenSdkKey,
  givenSignedInUser,
  givenToken,
  readStateRow,
  testContext,
} from "@/testing/api";
import { createUser as addUser } from "@/lib/users/create-user";
import type { Role } from "@/lib/auth/actor";

type Handler = Parameters<typeof callRoute>[0];

interface Endpoint {
  name: string;
  role: Role;
  /** A fresh request for this endpoint, and a probe that reads what it would change. */
  prepare(): Promise<{ handler: Handler; method: string; path: string; params?: Record<string, string>; body?: unknown; probe(): Promise<unknown> }>;
}

const hex = () => Math.random().toString(16).slice(2, 10);

async function stateProbe(key: string) {
  return () => readStateRow(key);
}

const endpoints: Endpoint[] = [
  {
    name: "POST /api/flags",
    role: "admin",
    async prepare() {
      const key = `matrix_${hex()}`;
      return {
        handler: createFlag, method: "POST", path: "/api/flags", body: { key, owner: "orders-team" },
        probe: () => readStateRow(key),
      };
    },
  },
  {
    name: "PATCH /api/flags/{key}",
    role: "operator",
    async prepare() {
      const key = await givenFlag("matrix_patch");
      return { handler: patchFlag, method: "PATCH", path: `/api/flags/${key}`, params: { key }, body: { percentage: 5 }, probe: await stateProbe(key) };
    },
  },
  {
    name: "POST /api/flags/{key}/kill",
    role: "operator",
    async prepare() {
      const key = await givenFlag("matrix_kill");
      return { handler: killFlag, method: "POST", path: `/api/flags/${key}/kill`, params: { key }, probe: await stateProbe(key) };
    },
  },
  {
    name: "POST /api/flags/{key}/restore",
    role: "operator",
    async prepare() {
      const key = await givenFlag("matrix_restore");
      const { killFlag: kill } = await import("@/lib/flags/kill-switch");
      await kill({ ctx: await testContext(), input: { key, env: "production" } });
      return { handler: restoreFlag, method: "POST", path: `/api/flags/${key}/restore`, params: { key }, probe: await stateProbe(key) };
    },
  },
  {
    name: "POST /api/environments",
    role: "admin",
    async prepare() {
      const key = `env-${hex()}`;
      const { findEnvironmentByKey } = await import("@/lib/environments/environment-store");
      return { handler: createEnvironment, method: "POST", path: "/api/environments", body: { key, name: key }, probe: async () => findEnvironmentByKey(await getDb(), key) };
    },
  },
  {
    name: "POST /api/users",
    role: "admin",
    async prepare() {
      const email = `new-${hex()}@example.test`;
      const { findUserByEmail } = await import("@/lib/users/user-store");
      return { handler: createUser, method: "POST", path: "/api/users", body: { email, role: "viewer" }, probe: async () => findUserByEmail(await getDb(), email) };
    },
  },
  {
    name: "PATCH /api/users/{id}",
    role: "admin",
    async prepare() {
      const { user } = await addUser({ ctx: await testContext(), input: { email: `u-${hex()}@example.test`, role: "viewer" } });
      const { requireUser } = await import("@/lib/users/user-store");
      return { handler: updateUser, method: "PATCH", path: `/api/users/${user.id}`, params: { id: user.id }, body: { role: "operator" }, probe: async () => (await requireUser(await getDb(), user.id)).role };
    },
  },
  {
    name: "POST /api/tokens",
    role: "admin",
    async prepare() {
      const name = `matrix-${hex()}`;
      const { listCredentials } = await import("@/lib/credentials/credential-store");
      return { handler: createToken, method: "POST", path: "/api/tokens", body: { name, role: "viewer" }, probe: async () => (await listCredentials(await getDb(), "api-token")).filter((t) => t.name === name) };
    },
  },
  {
    name: "POST /api/tokens/{id}/revoke",
    role: "admin",
    async prepare() {
      const { token } = await createCredential({ ctx: await testContext(), kind: "api-token", input: { name: `victim-${hex()}`, role: "viewer" } });
      const { findCredentialById } = await import("@/lib/credentials/credential-store");
      return { handler: revokeToken, method: "POST", path: `/api/tokens/${token.id}/revoke`, params: { id: String(token.id) }, probe: async () => (await findCredentialById(await getDb(), "api-token", token.id))?.revokedAt };
    },
  },
  {
    name: "POST /api/sdk-keys",
    role: "admin",
    async prepare() {
      const name = `matrix-${hex()}`;
      const { listCredentials } = await import("@/lib/credentials/credential-store");
      return { handler: createSdkKey, method: "POST", path: "/api/sdk-keys", body: { name, environment: "staging" }, probe: async () => (await listCredentials(await getDb(), "sdk-key")).filter((k) => k.name === name) };
    },
  },
  {
    name: "POST /api/sdk-keys/{id}/revoke",
    role: "admin",
    async prepare() {
      const { sdkKey } = await createCredential({ ctx: await testContext(), kind: "sdk-key", input: { name: `victim-${hex()}`, environment: "production" } });
      const { findCredentialById } = await import("@/lib/credentials/credential-store");
      return { handler: revokeSdkKey, method: "POST", path: `/api/sdk-keys/${sdkKey.id}/revoke`, params: { id: String(sdkKey.id) }, probe: async () => (await findCredentialById(await getDb(), "sdk-key", sdkKey.id))?.revokedAt };
    },
  },
];

interface Principal {
  name: string;
  /** Role it acts with; null for nobody or an SDK key. */
  role: Role | null;
  refusal: 401 | 403;
  headers(): Record<string, string>;
}

const rank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };
const principals: Principal[] = [];

beforeAll(async () => {
  const session = async (role: Role) => {
    const { cookie } = await givenSignedInUser(role);
    return { cookie, origin: "http://localhost" };
  };
  const [viewer, operator, admin] = [await session("viewer"), await session("operator"), await session("admin")];
  const adminToken = (await givenToken("admin")).secret;
  const operatorToken = (await givenToken("operator")).secret;
  const sdkKey = await givenSdkKey("production");
  principals.push(
    { name: "anonymous", role: null, refusal: 401, headers: () => ({}) },
    { name: "viewer session", role: "viewer", refusal: 403, headers: () => viewer },
    { name: "operator session", role: "operator", refusal: 403, headers: () => operator },
    { name: "admin session", role: "admin", refusal: 403, headers: () => admin },
    { name: "admin token", role: "admin", refusal: 403, headers: () => ({ authorization: `Bearer ${adminToken}` }) },
    { name: "operator token", role: "operator", refusal: 403, headers: () => ({ authorization: `Bearer ${operatorToken}` }) },
    { name: "SDK key", role: null, refusal: 403, headers: () => ({ authorization: `Bearer ${sdkKey}` }) },
  );
});

async function auditEventsFor(requestId: string | null) {
  expect(requestId).toBeTruthy();
  const db = await getDb();
  return db.select().from(auditEvents).where(eq(auditEvents.requestId, requestId!));
}

describe("who may call each mutating endpoint", () => {
  const principalNames = ["anonymous", "viewer session", "operator session", "admin session", "admin token", "operator token", "SDK key"];
  for (const endpoint of endpoints) {
    for (const principalName of principalNames) {
      it(`${endpoint.name} as ${principalName}`, async () => {
        const principal = principals.find((p) => p.name === principalName)!;
        const allowed = principal.role !== null && rank[principal.role] >= rank[endpoint.role];
        const call = await endpoint.prepare();
        const before = await call.probe();

        const response = await callRoute(call.handler, { ...call, headers: principal.headers(), as: null });
        const events = await auditEventsFor(response.headers.get("x-request-id"));

        if (allowed) {
          expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
          expect(events).toHaveLength(1);
          expect(await call.probe()).not.toEqual(before);
        } else {
          expect(response.status).toBe(principal.refusal);
          expect(response.body.error?.code).toBe(principal.refusal === 401 ? "unauthorized" : "forbidden");
          expect(events).toHaveLength(0);
          expect(await call.probe()).toEqual(before);
        }
      });
    }
  }
});
