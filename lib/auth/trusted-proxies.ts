import { BlockList, isIP } from "node:net";

// Who is the client? A route handler gets a web Request, with no peer socket, and `next start`
// keeps a client's own X-Forwarded-For. So scripts/server.mjs passes the socket's address in a
// header carrying this boot's token, and forwarded headers count only when
// RAMPART_TRUSTED_PROXIES says a proxy in front writes them.

/**
 * RAMPART_TRUSTED_PROXIES, parsed:
 * - unset, empty or "0": nothing forwarded is trusted; the client address is unknown;
 * - a whole number N: N proxies in front, each appending the address it saw to X-Forwarded-For;
 * - otherwise a comma list of the proxies' IPs or CIDR ranges ("10.0.0.2, 10.1.0.0/16").
 */
export type ProxyTrust =
  | { kind: "none" }
  | { kind: "hops"; hops: number }
  | { kind: "addresses"; proxies: BlockList };

/** The header better-auth reads the client address from; set only by withResolvedClientAddress. */
export const CLIENT_ADDRESS_HEADER = "x-rampart-client-address";

/** Set by scripts/server.mjs to `<token> <socket address>`; see peerAddress. */
export const PEER_ADDRESS_HEADER = "x-rampart-peer-address";

/** The connecting socket's address, when the server that accepted it vouches for it. */
export function peerAddress(headers: Headers, token = process.env.RAMPART_PEER_ADDRESS_TOKEN): string | null {
  const [sent, address] = (headers.get(PEER_ADDRESS_HEADER) ?? "").split(" ");
  if (!token || sent !== token || !address) return null;
  const unmapped = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
  return isIP(unmapped) ? unmapped : null;
}

let parsed: { value: string | undefined; trust: ProxyTrust } | null = null;

/** Read at call time, so a changed environment (or a test) takes effect without a restart. */
export function proxyTrust(value: string | undefined = process.env.RAMPART_TRUSTED_PROXIES): ProxyTrust {
  if (parsed === null || parsed.value !== value) parsed = { value, trust: parseProxyTrust(value) };
  return parsed.trust;
}

export function parseProxyTrust(value: string | undefined): ProxyTrust {
  const text = value?.trim() ?? "";
  if (/^\d+$/.test(text)) return Number(text) > 0 ? { kind: "hops", hops: Number(text) } : { kind: "none" };
  const proxies = new BlockList();
  let count = 0;
  for (const entry of text.split(",").map((part) => part.trim()).filter(Boolean)) {
    if (addProxy(proxies, entry)) count++;
    // A typo must not widen trust; it is dropped, and a list of nothing but typos trusts nothing.
    else console.warn(`[rampart] RAMPART_TRUSTED_PROXIES: ignoring "${entry}", which is neither an IP address nor a CIDR range`);
  }
  return count > 0 ? { kind: "addresses", proxies } : { kind: "none" };
}

function addProxy(proxies: BlockList, entry: string): boolean {
  const [address, prefix, extra] = entry.split("/");
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  const type = family === 4 ? "ipv4" : "ipv6";
  if (prefix === undefined) {
    proxies.addAddress(address, type);
    return true;
  }
  const bits = Number(prefix);
  if (!/^\d+$/.test(prefix) || bits > (family === 4 ? 32 : 128)) return false;
  proxies.addSubnet(address, bits, type);
  return true;
}

/**
 * The client's address: the connecting socket's, or the one the trusted proxies report, or null
 * when it cannot be known. X-Forwarded-For is read right to left, the socket's address last in
 * the chain: each proxy appends what it saw, so entries left of the first untrusted one never count.
 */
export function clientAddress(headers: Headers, trust: ProxyTrust = proxyTrust()): string | null {
  const peer = peerAddress(headers);
  if (trust.kind === "none") return peer;
  const forwarded = (headers.get("x-forwarded-for") ?? "").split(",").map((entry) => withoutPort(entry.trim())).filter(Boolean);
  const chain = peer ? [...forwarded, peer] : forwarded;
  if (trust.kind === "hops") {
    // The socket is the nearest proxy; fewer entries than proxies: it did not come through all of them.
    const seenByOutermost = chain[chain.length - trust.hops - (peer ? 1 : 0)];
    return seenByOutermost !== undefined && isIP(seenByOutermost) ? seenByOutermost : null;
  }
  for (let i = chain.length - 1; i >= 0; i--) {
    const address = chain[i];
    const family = isIP(address);
    if (family === 0) return null;
    if (!trust.proxies.check(address, family === 4 ? "ipv4" : "ipv6")) return address;
  }
  // Every hop is a trusted proxy: the request started at one of them.
  return chain[0] ?? null;
}

/** "203.0.113.7:52100" and "[2001:db8::7]:443", as some proxies write them, without the port. */
function withoutPort(entry: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
  if (bracketed) return bracketed[1];
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(entry);
  return v4WithPort ? v4WithPort[1] : entry;
}

/**
 * The host the browser used, as the nearest trusted proxy reports it in X-Forwarded-Host;
 * null without trusted proxies, whatever the request says.
 */
export function forwardedHost(headers: Headers, trust: ProxyTrust = proxyTrust()): string | null {
  if (trust.kind === "none") return null;
  const hosts = (headers.get("x-forwarded-host") ?? "").split(",").map((host) => host.trim().toLowerCase()).filter(Boolean);
  return hosts.at(-1) ?? null;
}

/**
 * The request better-auth should see: its client-address header holds the resolved address, or
 * is absent when the address is unknown, so a client can never name its own rate-limit key.
 */
export function withResolvedClientAddress(request: Request, trust: ProxyTrust = proxyTrust()): Request {
  const headers = new Headers(request.headers);
  headers.delete(CLIENT_ADDRESS_HEADER);
  const address = clientAddress(headers, trust);
  headers.delete(PEER_ADDRESS_HEADER);
  if (address) headers.set(CLIENT_ADDRESS_HEADER, address);
  else warnOnceAboutUnknownAddresses();
  return new Request(request, { headers });
}

let warned = false;

function warnOnceAboutUnknownAddresses() {
  if (warned) return;
  warned = true;
  console.warn(
    "[rampart] the client address is unknown (served without scripts/server.mjs, or through proxies RAMPART_TRUSTED_PROXIES does not name), " +
      "so every such client shares one sign-in limit. Behind a reverse proxy, set RAMPART_TRUSTED_PROXIES to its address or to the number of proxies in front.",
  );
}
