import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkOpenFilesLimit, DEFAULT_OPEN_FILES, openFilesWarning, parseOpenFilesLimit, requiredOpenFiles } from "./fd-limit";

const limitsWith = (line: string) => `Limit                     Soft Limit           Hard Limit           Units     
Max cpu time              unlimited            unlimited            seconds   
${line}
Max processes             94851                94851                processes 
`;

describe("the open-file limit", () => {
  it("is read from the soft column of /proc/self/limits", () => {
    expect(parseOpenFilesLimit(limitsWith("Max open files            1024                 524288               files     "))).toBe(1024);
    expect(parseOpenFilesLimit(limitsWith("Max open files            unlimited            unlimited            files     "))).toBe(Infinity);
    expect(parseOpenFilesLimit(limitsWith("Max locked memory         65536                65536                bytes     "))).toBeNull();
  });

  it("needs the expected streams plus the pool, the LISTEN connection and headroom", () => {
    expect(requiredOpenFiles({})).toBe(DEFAULT_OPEN_FILES);
    expect(requiredOpenFiles({ RAMPART_EXPECTED_STREAMS: "10000" })).toBe(10_000 + 10 + 1 + 256);
    expect(requiredOpenFiles({ RAMPART_EXPECTED_STREAMS: "10000", RAMPART_DB_POOL_MAX: "40" })).toBe(10_000 + 40 + 1 + 256);
    expect(requiredOpenFiles({ RAMPART_EXPECTED_STREAMS: "lots" })).toBe(DEFAULT_OPEN_FILES);
  });

  it("warns below what is needed, naming the limit, the need and how to raise it", () => {
    const warning = openFilesWarning(1024, {});
    expect(warning).toContain("open-file limit is 1024, below the 4096");
    expect(warning).toContain("ulimit -n 4096");
    expect(warning).toContain("LimitNOFILE=4096");
    expect(openFilesWarning(20_000, { RAMPART_EXPECTED_STREAMS: "10000" })).toBeNull();
    expect(openFilesWarning(10_000, { RAMPART_EXPECTED_STREAMS: "10000" })).toContain("below the 10267 that RAMPART_EXPECTED_STREAMS=10000 needs");
    expect(openFilesWarning(Infinity, { RAMPART_EXPECTED_STREAMS: "1000000" })).toBeNull();
  });

  it("prints the warning once at start-up, and stays quiet where /proc cannot be read", () => {
    const printed: string[] = [];
    checkOpenFilesLimit({}, () => limitsWith("Max open files            1024                 1024                 files     "), (message) => printed.push(message));
    expect(printed).toHaveLength(1);
    const unreadable = () => {
      throw new Error("ENOENT");
    };
    expect(checkOpenFilesLimit({}, unreadable, (message) => printed.push(message))).toBeNull();
    expect(printed).toHaveLength(1);
  });

  it("reads this process's own limit", () => {
    expect(parseOpenFilesLimit(readFileSync("/proc/self/limits", "utf8"))).toBeGreaterThan(0);
  });
});
