import { createHmac, timingSafeEqual } from "node:crypto";

/** Receivers should refuse a signature older than this: a replayed request is a stale one. */
export const SIGNATURE_TOLERANCE_S = 300;

/** `t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, the Rampart-Signature header. */
export function signatureHeader(secret: string, body: string, at = new Date()): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac("sha256", secret).update(`${t}.${body}`).digest("hex")}`;
}

/** What a receiver does (the README shows it): the HMAC matches and the time is within five minutes. */
export function verifySignature(secret: string, body: string, header: string, now = new Date()): boolean {
  const parts = Object.fromEntries(header.split(",").map((part) => part.split("=", 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(now.getTime() / 1000 - t) > SIGNATURE_TOLERANCE_S) return false;
  const expected = Buffer.from(createHmac("sha256", secret).update(`${t}.${body}`).digest("hex"));
  const given = Buffer.from(parts.v1);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
