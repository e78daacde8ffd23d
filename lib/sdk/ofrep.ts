import { createHash } from "node:crypto";
import { evaluate, type FlagState } from "@rampart/sdk";
import type { EvaluationContext } from "@openfeature/server-sdk";
import { OPENFEATURE_REASONS, toRampartContext } from "@rampart/sdk/openfeature";
import type { ServiceContext } from "@/lib/context";
import { readFlagSnapshot } from "./flag-snapshot";
import { requireSdkEnvironment } from "./sdk-environment";

// OpenFeature Remote Evaluation Protocol: the same evaluator the SDK runs locally, one HTTP round
// trip per call. For services in languages without a Rampart SDK; latency-sensitive paths want the SDK.

type OfrepContext = Record<string, unknown>;

export type OfrepResult =
  | { key: string; value: boolean; reason: string; variant: "on" | "off"; metadata: { version: number } }
  | { key: string; errorCode: "FLAG_NOT_FOUND" | "GENERAL" | "INVALID_CONTEXT"; errorDetails: string };

/** One flag, as the local evaluator decides it; an unknown key is FLAG_NOT_FOUND, a malformed state GENERAL. */
export function evaluateForOfrep(key: string, flag: FlagState | undefined, context: OfrepContext): OfrepResult {
  if (!flag) return { key, errorCode: "FLAG_NOT_FOUND", errorDetails: `There is no flag "${key}" in this environment.` };
  const evaluation = evaluate(flag, toRampartContext(context as EvaluationContext, flag), false);
  if (evaluation.reason === "fallback") return { key, errorCode: "GENERAL", errorDetails: `The flag "${key}" has a malformed state.` };
  return { key, value: evaluation.value, reason: OPENFEATURE_REASONS[evaluation.reason], variant: evaluation.value ? "on" : "off", metadata: { version: flag.version } };
}

/** POST /ofrep/v1/evaluate/flags/{key}: 200 with the value, 404 FLAG_NOT_FOUND, 400 for an error. */
export async function serveOfrepFlag(ctx: ServiceContext, key: string, context: OfrepContext): Promise<Response> {
  const snapshot = await readFlagSnapshot(ctx.db, await requireSdkEnvironment(ctx));
  const result = evaluateForOfrep(key, snapshot.flags.find((flag) => flag.key === key), context);
  const status = "errorCode" in result ? (result.errorCode === "FLAG_NOT_FOUND" ? 404 : 400) : 200;
  return Response.json(result, { status, headers: { "cache-control": "no-store" } });
}

/**
 * POST /ofrep/v1/evaluate/flags: every flag for one context, with an ETag of the environment's
 * change position and the context, so a poll with an unchanged answer gets 304 and no body.
 */
export async function serveOfrepFlags(ctx: ServiceContext, request: Request, context: OfrepContext): Promise<Response> {
  const snapshot = await readFlagSnapshot(ctx.db, await requireSdkEnvironment(ctx));
  const contextHash = createHash("sha256").update(JSON.stringify(context)).digest("base64url").slice(0, 16);
  const etag = `"${snapshot.cursor}-${snapshot.flags.length}-${contextHash}"`;
  const headers = { etag, "cache-control": "no-cache" };
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  return Response.json({ flags: snapshot.flags.map((flag) => evaluateForOfrep(flag.key, flag, context)) }, { headers });
}
