import { describe, expect, it } from "vitest";
import { contractionSteps } from "./contraction-sql";

const contraction = { table: "orders", oldColumn: "status" };
const notNull = { name: "status", present: true, type: "character varying(50)", nullable: false };

describe("the contraction SQL", () => {
  it("is one drop for a nullable or unknown old column, IF EXISTS where the server has it", () => {
    expect(contractionSteps("postgresql", contraction, { ...notNull, nullable: true })).toEqual([
      { say: "Drop orders.status once nothing reads or writes it.", sql: "ALTER TABLE orders DROP COLUMN IF EXISTS status;" },
    ]);
    expect(contractionSteps(null, contraction, null).map((step) => step.sql)).toEqual(["ALTER TABLE orders DROP COLUMN IF EXISTS status;"]);
    expect(contractionSteps("mysql", contraction, null).map((step) => step.sql)).toEqual(["ALTER TABLE orders DROP COLUMN status;"]);
  });

  it("for a NOT NULL old column follows the seed: drop the constraint, stop the writes, verify, drop", () => {
    expect(contractionSteps("postgresql", contraction, notNull).map((step) => step.sql)).toEqual([
      "ALTER TABLE orders ALTER COLUMN status DROP NOT NULL;",
      null,
      null,
      "ALTER TABLE orders DROP COLUMN IF EXISTS status;",
    ]);
    expect(contractionSteps("mysql", contraction, { ...notNull, type: "varchar(50)" })[0]!.sql).toBe("ALTER TABLE orders MODIFY status varchar(50) NULL;");
  });
});
