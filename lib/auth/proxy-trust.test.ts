import { describe, expect, it } from "vitest";
import { fromAddress } from "@/testing/api";
import { clientAddress, forwardedHost, parseProxyTrust, peerAddress } from "./trusted-proxies";

describe("RAMPART_TRUSTED_PROXIES", () => {
  const xff = (value: string, peer?: string) =>
    new Headers({ "x-forwarded-for": value, "x-forwarded-host": "evil.example", ...(peer ? fromAddress(peer) : {}) });

  it("unset, no forwarded header names the client or the host: the socket's address does", () => {
    for (const value of [undefined, "", "0", "not-an-ip, 10.0.0.0/99"]) {
      const trust = parseProxyTrust(value);
      expect(trust.kind).toBe("none");
      expect(clientAddress(xff("203.0.113.9"), trust)).toBeNull();
      expect(clientAddress(xff("203.0.113.9", "192.0.2.7"), trust)).toBe("192.0.2.7");
      expect(forwardedHost(xff("203.0.113.9"), trust)).toBeNull();
    }
  });

  it("believes the socket address header only with this boot's token", () => {
    const headers = (value: string) => new Headers({ "x-rampart-peer-address": value });
    expect(peerAddress(headers("boot-token 192.0.2.7"), "boot-token")).toBe("192.0.2.7");
    expect(peerAddress(headers("boot-token ::ffff:192.0.2.7"), "boot-token")).toBe("192.0.2.7");
    expect(peerAddress(headers("boot-token 2001:db8::1"), "boot-token")).toBe("2001:db8::1");
    expect(peerAddress(headers("guessed 192.0.2.7"), "boot-token")).toBeNull();
    expect(peerAddress(headers(" 192.0.2.7"), undefined)).toBeNull();
    expect(peerAddress(headers("boot-token not-an-address"), "boot-token")).toBeNull();
  });

  it("as addresses, walks X-Forwarded-For right to left past the listed proxies", () => {
    const trust = parseProxyTrust("10.20.30.40, 10.1.0.0/16, 2001:db8::/32");
    expect(clientAddress(xff("203.0.113.9"), trust)).toBe("203.0.113.9");
    expect(clientAddress(xff("198.51.100.1, 203.0.113.9, 10.1.2.3, 10.20.30.40"), trust)).toBe("203.0.113.9");
    expect(clientAddress(xff("203.0.113.9:51000, [2001:db8::5]:443"), trust)).toBe("203.0.113.9");
    expect(clientAddress(xff("10.1.0.7, 10.20.30.40"), trust)).toBe("10.1.0.7");
    expect(clientAddress(xff("203.0.113.9, garbage, 10.20.30.40"), trust)).toBeNull();
    expect(clientAddress(new Headers(), trust)).toBeNull();
    expect(forwardedHost(xff(""), trust)).toBe("evil.example");
    // The socket is the last hop: a client connecting directly is itself, whatever it forwards.
    expect(clientAddress(xff("198.51.100.1", "203.0.113.50"), trust)).toBe("203.0.113.50");
    expect(clientAddress(xff("198.51.100.1, 203.0.113.9", "10.20.30.40"), trust)).toBe("203.0.113.9");
  });

  it("as a hop count, takes the address the outermost proxy saw", () => {
    expect(clientAddress(xff("198.51.100.1, 203.0.113.9"), parseProxyTrust("1"))).toBe("203.0.113.9");
    expect(clientAddress(xff("198.51.100.1, 203.0.113.9, 10.0.0.2"), parseProxyTrust("2"))).toBe("203.0.113.9");
    expect(clientAddress(xff("203.0.113.9"), parseProxyTrust("2"))).toBeNull();
    expect(clientAddress(xff("198.51.100.1, 203.0.113.9", "10.0.0.2"), parseProxyTrust("1"))).toBe("203.0.113.9");
  });
});
