import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "@/lib/db/unavailable";
import { ServiceUnavailableError } from "@/lib/errors";
import { errorResponse } from "./api-route";

describe("a database outage answers 503 with Retry-After", () => {
  it("maps connection failures, and only those, to 503 unavailable", async () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    const shutdown = Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" });
    const terminated = new Error("Connection terminated unexpectedly");
    const wrapped = new Error("Failed query: select 1", { cause: refused });
    for (const error of [refused, shutdown, terminated, wrapped]) expect(isDatabaseUnavailable(error)).toBe(true);
    for (const error of [new Error("duplicate key"), Object.assign(new Error("syntax"), { code: "42601" }), "ECONNREFUSED", null]) {
      expect(isDatabaseUnavailable(error)).toBe(false);
    }
    const response = errorResponse(wrapped, "req-1");
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(await response.json()).toEqual({
      error: { code: "unavailable", message: new ServiceUnavailableError().message, requestId: "req-1", details: [] },
    });
    expect(errorResponse(new Error("boom"), "req-2").status).toBe(500);
  });
});
