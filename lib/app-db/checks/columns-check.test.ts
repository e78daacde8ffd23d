import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { givenScratchAppDb, type ScratchAppDb } from "@/testing/scratch-app-db";
import { withReadOnlySession } from "../read-only-session";
import { checkColumns, type Contraction } from "./columns-check";

describe.each(["postgresql", "mysql"] as const)("the columns check on %s", (kind) => {
  let app: ScratchAppDb;
  beforeAll(async () => {
    app = await givenScratchAppDb(kind);
  });
  afterAll(() => app?.drop());

  const check = (contraction: Contraction) => withReadOnlySession(kind, app.dsn, (query) => checkColumns(kind, query, contraction));

  it("sees both columns while the migration is expanded, with types and nullability", async () => {
    const result = await check({ table: "orders", oldColumn: "status", newColumn: "order_status" });
    expect(result.verdict).toBe("expanded");
    expect(result.old).toEqual({ name: "status", present: true, type: kind === "postgresql" ? "character varying(50)" : "varchar(50)", nullable: false });
    expect(result.new).toMatchObject({ name: "order_status", present: true, nullable: true });
    if (kind === "postgresql") expect((await check({ table: "public.orders", oldColumn: "status", newColumn: null })).verdict).toBe("expanded");
  });

  it("reads contracted once the old column is dropped, and not migrated when the new one is missing", async () => {
    await app.exec("alter table orders drop column legacy_total");
    expect((await check({ table: "orders", oldColumn: "legacy_total", newColumn: "new_total" })).verdict).toBe("contracted");
    expect((await check({ table: "orders", oldColumn: "status", newColumn: "status_v3" })).verdict).toBe("not_migrated");
  });

  it("says when the table is not there", async () => {
    const result = await check({ table: "invoices", oldColumn: "total", newColumn: null });
    expect(result.verdict).toBe("table_missing");
    expect(result.old.present).toBe(false);
  });
});
