import {
  ErrorCode,
  OpenFeatureEventEmitter,
  ProviderEvents,
  ProviderNotReadyError,
  StandardResolutionReasons,
  type EvaluationContext,
  type FlagMetadata,
  type Hook,
  type JsonValue,
  type Provider,
  type ResolutionDetails,
  type ResolutionReason,
} from "@openfeature/server-sdk";
import { createClient, RampartClient, type ClientOptions } from "./client";
import type { EvaluationContext as RampartContext } from "./evaluator";
import type { EvaluationReason } from "./protocol";
import type { FlagState } from "./flag-state";

export interface RampartProviderOptions {
  /** How long `initialize()` waits for the control plane before reporting the provider not ready. */
  readyTimeoutMs?: number;
  /**
   * When false, initialization also succeeds (after `readyTimeoutMs`) on bootstrap or cached state,
   * so a service restarted during a control-plane outage starts on its last known flags.
   */
  requireControlPlane?: boolean;
}

/** Rampart's reasons in OpenFeature's words; the control plane's OFREP endpoint answers with the same. */
export const OPENFEATURE_REASONS: Record<Exclude<EvaluationReason, "fallback">, ResolutionReason> = {
  // A bucket is a pseudorandom assignment; a named value is a targeting rule.
  rollout: StandardResolutionReasons.SPLIT,
  pinned: StandardResolutionReasons.STATIC,
  targeted: StandardResolutionReasons.TARGETING_MATCH,
  killed: StandardResolutionReasons.DISABLED,
  unkeyed: StandardResolutionReasons.DEFAULT,
};

/**
 * Serves Rampart flags through OpenFeature. Evaluation is local and synchronous underneath;
 * it never throws: problems come back as `reason: "ERROR"` with an error code and the default value.
 */
export class RampartProvider implements Provider {
  readonly metadata = { name: "rampart" } as const;
  readonly runsOn = "server" as const;
  readonly hooks: Hook[] = [];
  readonly events = new OpenFeatureEventEmitter();
  readonly client: RampartClient;

  private readonly ownsClient: boolean;
  private readonly readyTimeoutMs: number;
  private readonly requireControlPlane: boolean;
  private unsubscribe: (() => void) | undefined;
  private initFailed = false;
  private pendingChanges = new Set<string>();

  constructor(client: RampartClient | ClientOptions, { readyTimeoutMs = 5_000, requireControlPlane = true }: RampartProviderOptions = {}) {
    this.ownsClient = !(client instanceof RampartClient);
    this.client = client instanceof RampartClient ? client : createClient(client);
    this.readyTimeoutMs = readyTimeoutMs;
    this.requireControlPlane = requireControlPlane;
  }

  async initialize(): Promise<void> {
    this.unsubscribe ??= this.client.onChange((flagKey) => this.changed(flagKey));
    const ready = (await this.client.ready({ timeoutMs: this.readyTimeoutMs })) || this.hasUsableState();
    this.initFailed = !ready;
    // A rejection is how OpenFeature learns initialization failed: it sets the status to ERROR
    // (not FATAL, so evaluations still reach us) and `setProviderAndWait` rejects with this error.
    if (!ready) {
      throw new ProviderNotReadyError(`Rampart control plane did not answer within ${this.readyTimeoutMs} ms; still retrying`);
    }
  }

  async onClose(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.ownsClient) await this.client.close();
  }

  async resolveBooleanEvaluation(flagKey: string, defaultValue: boolean, context: EvaluationContext): Promise<ResolutionDetails<boolean>> {
    const flag = this.client.flag(flagKey);
    const evaluation = this.client.evaluate(flagKey, toRampartContext(context, flag), defaultValue);
    const flagMetadata = metadataOf(flag);
    if (evaluation.reason === "fallback") {
      if (!flag) return this.missing(flagKey, defaultValue);
      return { value: defaultValue, reason: StandardResolutionReasons.ERROR, errorCode: ErrorCode.GENERAL, errorMessage: `Rampart flag "${flagKey}" has a malformed state`, flagMetadata };
    }
    return { value: evaluation.value, reason: OPENFEATURE_REASONS[evaluation.reason], variant: evaluation.value ? "on" : "off", flagMetadata };
  }

  async resolveStringEvaluation(flagKey: string, defaultValue: string): Promise<ResolutionDetails<string>> {
    return this.notBoolean(flagKey, defaultValue);
  }

  async resolveNumberEvaluation(flagKey: string, defaultValue: number): Promise<ResolutionDetails<number>> {
    return this.notBoolean(flagKey, defaultValue);
  }

  async resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T): Promise<ResolutionDetails<T>> {
    return this.notBoolean(flagKey, defaultValue);
  }

  /** An unknown key is FLAG_NOT_FOUND, not TYPE_MISMATCH, so a MultiProvider moves on to its next provider. */
  private notBoolean<T>(flagKey: string, defaultValue: T): ResolutionDetails<T> {
    const flag = this.client.flag(flagKey);
    if (!flag) return this.missing(flagKey, defaultValue);
    return {
      value: defaultValue,
      reason: StandardResolutionReasons.ERROR,
      errorCode: ErrorCode.TYPE_MISMATCH,
      errorMessage: `Rampart flag "${flagKey}" is boolean`,
      flagMetadata: metadataOf(flag),
    };
  }

  private missing<T>(flagKey: string, defaultValue: T): ResolutionDetails<T> {
    const loaded = this.client.status().source !== "none";
    return {
      value: defaultValue,
      reason: StandardResolutionReasons.ERROR,
      errorCode: loaded ? ErrorCode.FLAG_NOT_FOUND : ErrorCode.PROVIDER_NOT_READY,
      errorMessage: loaded ? `No Rampart flag "${flagKey}" in this environment` : "Rampart has loaded no flag state yet",
    };
  }

  private hasUsableState(): boolean {
    const { source } = this.client.status();
    return source === "control-plane" || (!this.requireControlPlane && source === "bootstrap");
  }

  /** A snapshot reports each changed flag separately; batch them into one event per tick. */
  private changed(flagKey: string): void {
    if (this.pendingChanges.size === 0) queueMicrotask(() => this.flushChanges());
    this.pendingChanges.add(flagKey);
  }

  private flushChanges(): void {
    const flagsChanged = [...this.pendingChanges];
    this.pendingChanges = new Set();
    if (!this.unsubscribe) return;
    // Initialization timed out but state arrived later: tell OpenFeature, which then sets READY.
    if (this.initFailed && this.hasUsableState()) {
      this.initFailed = false;
      this.events.emit(ProviderEvents.Ready);
    }
    this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged });
  }
}

/**
 * OpenFeature context → Rampart context: all attributes are copied and `key` is the targetingKey.
 * The flag buckets on its `rollout.by` attribute; when the caller did not pass that attribute, the
 * targetingKey stands in for it, so `{ targetingKey: user.id }` alone rolls out by user.
 */
export function toRampartContext(context: EvaluationContext, flag: FlagState | undefined): RampartContext {
  const { targetingKey, ...attributes } = context;
  const mapped: RampartContext = { ...attributes };
  if (targetingKey === undefined) return mapped;
  mapped.key = targetingKey;
  const by = flag?.rollout?.by;
  if (typeof by === "string" && mapped[by] === undefined) mapped[by] = targetingKey;
  return mapped;
}

function metadataOf(flag: FlagState | undefined): FlagMetadata | undefined {
  return typeof flag?.version === "number" ? { version: flag.version } : undefined;
}
