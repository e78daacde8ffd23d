import { and, eq, ne } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { users } from "@/db/schema";
import { getDb } from "@/lib/db/client";
import { givenSignedInUser, testContext } from "@/testing/api";
import { updateUser } from "./update-user";
import { findUserByEmail } from "./user-store";

class RolledBack extends Error {
  constructor(readonly outcome: { attempts: PromiseSettledResult<unknown>[]; role: string | undefined }) {
    super("rolled back");
  }
}

describe("users", () => {
  it("refuse to demote or disable the last enabled admin", async () => {
    const { email } = await givenSignedInUser("admin");
    const db = await getDb();
    const admin = (await findUserByEmail(db, email))!;
    // Inside a transaction that is rolled back, so tests sharing this database never see
    // their admins demoted.
    const outcome = await db
      .transaction(async (tx) => {
        await tx.update(users).set({ role: "viewer" }).where(and(eq(users.role, "admin"), ne(users.id, admin.id)));
        const ctx = { ...(await testContext()), db: tx };
        const attempts = [
          ...(await Promise.allSettled([updateUser({ ctx, input: { id: admin.id, role: "operator" } })])),
          ...(await Promise.allSettled([updateUser({ ctx, input: { id: admin.id, disabled: true } })])),
        ];
        const role = (await findUserByEmail(tx, email))?.role;
        throw new RolledBack({ attempts, role });
      })
      .catch((error: unknown) => (error instanceof RolledBack ? error.outcome : Promise.reject(error)));

    for (const attempt of outcome.attempts) {
      expect(attempt.status).toBe("rejected");
      expect((attempt as PromiseRejectedResult).reason).toMatchObject({ status: 409, code: "last_admin" });
    }
    expect(outcome.role).toBe("admin");
  });
});
