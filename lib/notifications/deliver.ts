import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { publicOnlyLookup } from "./url-guard";

export const DELIVERY_TIMEOUT_MS = 5_000;
const EXCERPT_CHARS = 500;

export interface DeliveryResult {
  ok: boolean;
  statusCode: number | null;
  excerpt: string | null;
  error: string | null;
}

/**
 * One POST, 5 s at most, to a public address only (checked again at connect time). A 2xx is
 * delivered; anything else, a timeout or a refused address is a failure to retry. Redirects
 * are not followed: a receiver that moved is told by its 3xx in the delivery log.
 */
export function postJson(url: string, body: string, headers: Record<string, string>, timeoutMs = DELIVERY_TIMEOUT_MS): Promise<DeliveryResult> {
  return new Promise((resolve) => {
    const target = new URL(url);
    const send = target.protocol === "https:" ? httpsRequest : httpRequest;
    const req = send(
      target,
      {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), "user-agent": "Rampart-Notifications/1", ...headers },
        lookup: publicOnlyLookup() as never,
        timeout: timeoutMs,
      },
      (res) => {
        let excerpt = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          if (excerpt.length < EXCERPT_CHARS) excerpt += chunk;
        });
        res.on("end", () => {
          const statusCode = res.statusCode ?? 0;
          resolve({ ok: statusCode >= 200 && statusCode < 300, statusCode, excerpt: excerpt.slice(0, EXCERPT_CHARS) || null, error: null });
        });
        res.on("error", (error) => resolve({ ok: false, statusCode: res.statusCode ?? null, excerpt: null, error: error.message }));
      },
    );
    const deadline = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", (error) => resolve({ ok: false, statusCode: null, excerpt: null, error: error.message }));
    req.on("close", () => clearTimeout(deadline));
    req.end(body);
  });
}
