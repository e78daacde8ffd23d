import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { givenToken, testAdminTokenInfo } from "@/testing/api";
import { nameActors } from "./actor-names";

describe("nameActors", () => {
  beforeAll(() => getDb()); // migrations run under the longer hook timeout

  it("names tokens by their name and says what they are; other actors read as recorded", async () => {
    const db = await getDb();
    const operator = await givenToken("operator", "staging");
    await testAdminTokenInfo();
    const names = await nameActors(db, [`token:${operator.name}`, "token:init-admin-97df6f", "sdk-key:orders", "alice@example.test", "alice@example.test"]);
    expect(Object.fromEntries(names)).toEqual({
      [`token:${operator.name}`]: { name: operator.name, title: `API token ${operator.name}, operator, created by test-user (token:${operator.name})` },
      // Not registered in this database: still a readable name.
      "token:init-admin-97df6f": { name: "Initial admin token", title: "API token init-admin-97df6f, since deleted (token:init-admin-97df6f)" },
      "sdk-key:orders": { name: "orders", title: "SDK key (sdk-key:orders)" },
      "alice@example.test": { name: "alice@example.test", title: "alice@example.test" },
    });
  });
});
