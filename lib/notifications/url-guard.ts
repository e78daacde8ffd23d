import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP } from "node:net";

// A webhook URL is a request Rampart makes on an admin's word: without this, it is a way to
// reach the internal network (metadata services, admin ports). RAMPART_WEBHOOK_ALLOW_PRIVATE=1 lifts it.

const blocked = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  blocked.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  blocked.addSubnet(network, prefix, "ipv6");
}

export function allowPrivateAddresses(env: Partial<NodeJS.ProcessEnv> = process.env): boolean {
  return env.RAMPART_WEBHOOK_ALLOW_PRIVATE === "1";
}

/** Whether an address is loopback, link-local, private or otherwise not on the public internet. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return blocked.check(mapped[1]!, "ipv4");
    return blocked.check(address, "ipv6");
  }
  return blocked.check(address, "ipv4");
}

/** Why a URL cannot be a destination, in words, or null. Only the scheme and a literal address are checked here; names at connect time. */
export function urlRefusal(raw: string, allowPrivate = allowPrivateAddresses()): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "must be an absolute http(s) URL";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "must be an http(s) URL";
  if (url.username || url.password) return "must not carry a user name or password; use the signing secret";
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!allowPrivate && (host === "localhost" || host.endsWith(".localhost") || (isIP(host) !== 0 && isPrivateAddress(host)))) {
    return "must not point at a loopback, link-local or private address (RAMPART_WEBHOOK_ALLOW_PRIVATE=1 allows it)";
  }
  return null;
}

/**
 * A `lookup` for http.request that refuses private answers at connect time, so a name that
 * resolves (or re-resolves) to an internal address is refused too, not only a literal one.
 */
export function publicOnlyLookup(allowPrivate = allowPrivateAddresses()) {
  return (hostname: string, options: object, callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const list = addresses as LookupAddress[];
      const usable = allowPrivate ? list : list.filter((entry) => !isPrivateAddress(entry.address));
      if (usable.length === 0) {
        const refused: NodeJS.ErrnoException = new Error(`${hostname} resolves only to private addresses; refused (RAMPART_WEBHOOK_ALLOW_PRIVATE=1 allows it)`);
        refused.code = "EPRIVATE";
        return callback(refused, []);
      }
      if ((options as { all?: boolean }).all) return callback(null, usable);
      callback(null, usable[0]!.address, usable[0]!.family);
    });
  };
}
