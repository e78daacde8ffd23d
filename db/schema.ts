import { sql, type SQL } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { auditSources, type AuditSource } from "@/lib/audit/audit-source";
import { roles, type Role } from "@/lib/auth/roles";
import type { PathCountsEvidence } from "@/lib/lifecycle/path-counts-evidence";
import { removalTicketStatuses, type RemovalTicketStatus } from "@/lib/lifecycle/removal-ticket-status";
import type { FlagTarget } from "@rampart/sdk";
import { metricCohorts, type MetricCohort } from "@/lib/metrics/metric-cohort";
import { metricResolutions, type MetricResolution } from "@/lib/metrics/metric-resolution";
import type { RampPlan } from "@/lib/guard/ramp-plan";
import { rampPlanStatuses, type RampPlanStatus } from "@/lib/guard/ramp-plan-status";
import { appDbHealths, appDbKinds, type AppDbHealth, type AppDbKind } from "@/lib/app-db/app-db-kind";
import { notificationEventTypes, severities, type NotificationEventType, type Severity } from "@/lib/notification-events/notification-event";

// The domain owns its value lists; the tables only store them, checked with the same lists.

/** `column in ('a', 'b')`: a check on a domain's value list, worded as the migrations have it. */
function isOneOf(column: AnyPgColumn, values: readonly string[]): SQL {
  return sql`${column} in (${sql.raw(values.map((value) => `'${value}'`).join(", "))})`;
}

export const environments = pgTable("environments", {
  id: serial("id").primaryKey(),
  key: text("key").notNull().unique(),
  name: text("name").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const flags = pgTable(
  "flags",
  {
    id: serial("id").primaryKey(),
    key: text("key").notNull().unique(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    owner: text("owner").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
  },
  (t) => [check("flags_key_format", sql`${t.key} ~ '^[a-z0-9][a-z0-9_.-]{0,63}$'`)],
);

/** Per flag × environment: what the evaluator reads. Percentage is kept in basis points. */
export const flagStates = pgTable(
  "flag_states",
  {
    flagId: integer("flag_id")
      .notNull()
      .references(() => flags.id, { onDelete: "cascade" }),
    environmentId: integer("environment_id")
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    defaultValue: boolean("default_value").notNull().default(false),
    percentageBp: integer("percentage_bp").notNull().default(0),
    rolloutBy: text("rollout_by").notNull().default("user_id"),
    contexts: jsonb("contexts").$type<Record<string, boolean>>().notNull().default({}),
    /** Named values of a context attribute forced on or off (test tenants), at most 1,000 values in all. */
    targets: jsonb("targets").$type<FlagTarget[]>().notNull().default([]),
    /** When the targets last went from none to some; null while there are none. */
    targetsSince: timestamp("targets_since", { withTimezone: true }),
    /** The last change to what the flag serves apart from targets: a flag with only targets left is constant. */
    servedSince: timestamp("served_since", { withTimezone: true }).notNull().defaultNow(),
    killed: boolean("killed").notNull().default(false),
    percentageBeforeKillBp: integer("percentage_before_kill_bp"),
    version: integer("version").notNull().default(1),
    /**
     * Position in the stream of changes SDKs follow: taken from one sequence on every change,
     * under a per-environment lock, so within an environment it also orders commits.
     */
    changeSeq: bigserial("change_seq", { mode: "number" }).notNull(),
    /** The newest metrics window in which an SDK evaluated this flag here (teardown evidence). */
    lastEvaluatedAt: timestamp("last_evaluated_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text("updated_by").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.flagId, t.environmentId] }),
    index("flag_states_environment_change_seq_idx").on(t.environmentId, t.changeSeq),
    check("flag_states_percentage_bp", sql`${t.percentageBp} between 0 and 10000`),
    check(
      "flag_states_percentage_before_kill_bp",
      sql`${t.percentageBeforeKillBp} is null or ${t.percentageBeforeKillBp} between 0 and 10000`,
    ),
  ],
);

export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actor: text("actor").notNull(),
    source: text("source").$type<AuditSource>().notNull(),
    environmentId: integer("environment_id").references(() => environments.id, { onDelete: "set null" }),
    flagId: integer("flag_id").references(() => flags.id, { onDelete: "set null" }),
    action: text("action").notNull(),
    before: jsonb("before"),
    after: jsonb("after"),
    reason: text("reason"),
    requestId: text("request_id"),
  },
  (t) => [
    check("audit_events_source", isOneOf(t.source, auditSources)),
    index("audit_events_flag_id_idx").on(t.flagId, t.id),
    index("audit_events_environment_id_idx").on(t.environmentId, t.id),
  ],
);

/** Created with every flag: who removes it, when, on what evidence, and which old column goes with it. */
export const removalTickets = pgTable(
  "removal_tickets",
  {
    id: serial("id").primaryKey(),
    flagId: integer("flag_id")
      .notNull()
      .unique()
      .references(() => flags.id, { onDelete: "cascade" }),
    owner: text("owner").notNull(),
    /** The trigger, as data: the legacy path must read zero for this many days. */
    legacyZeroDays: integer("legacy_zero_days").notNull().default(7),
    /** No SDK may have evaluated the flag for this many hours before it can be archived. */
    quietHours: integer("quiet_hours").notNull().default(24),
    /** Overrides how long a constant served value may last before the flag counts as stale. */
    staleAfterDays: integer("stale_after_days"),
    dueAt: timestamp("due_at", { withTimezone: true }).notNull(),
    contractionTable: text("contraction_table"),
    contractionOldColumn: text("contraction_old_column"),
    contractionNewColumn: text("contraction_new_column"),
    /** The index the new path reads through, whose scans the evidence samples. */
    contractionNewIndex: text("contraction_new_index"),
    status: text("status").$type<RemovalTicketStatus>().notNull().default("open"),
    /** The due date an overdue notice was last sent for: once per due date, however often it is checked. */
    overdueNoticedFor: timestamp("overdue_noticed_for", { withTimezone: true }),
    link: text("link"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("removal_tickets_status", isOneOf(t.status, removalTicketStatuses)),
    check("removal_tickets_legacy_zero_days", sql`${t.legacyZeroDays} between 1 and 90`),
    check("removal_tickets_quiet_hours", sql`${t.quietHours} between 1 and 720`),
    check("removal_tickets_stale_after_days", sql`${t.staleAfterDays} is null or ${t.staleAfterDays} between 1 and 365`),
    index("removal_tickets_due_at_idx").on(t.dueAt),
  ],
);

/**
 * Per flag × environment: how far the teardown has come. Ramped and zero-fallback are undone
 * when a kill or a percentage drop takes the flag off 100%; the last such move is kept to show.
 */
export const teardownProgress = pgTable(
  "teardown_progress",
  {
    flagId: integer("flag_id")
      .notNull()
      .references(() => flags.id, { onDelete: "cascade" }),
    environmentId: integer("environment_id")
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    rampedAt: timestamp("ramped_at", { withTimezone: true }),
    zeroFallbackConfirmedAt: timestamp("zero_fallback_confirmed_at", { withTimezone: true }),
    zeroFallbackConfirmedBy: text("zero_fallback_confirmed_by"),
    zeroFallbackEvidence: jsonb("zero_fallback_evidence").$type<PathCountsEvidence>(),
    /** An admin who let stage 2 pass on application-database evidence that was unproven, and why. */
    zeroFallbackOverrideBy: text("zero_fallback_override_by"),
    zeroFallbackOverrideReason: text("zero_fallback_override_reason"),
    schemaContractedAt: timestamp("schema_contracted_at", { withTimezone: true }),
    schemaContractedBy: text("schema_contracted_by"),
    /** True when Rampart saw the old column gone in the application database; false when a person said so. */
    schemaContractedVerified: boolean("schema_contracted_verified"),
    schemaContractedEvidence: jsonb("schema_contracted_evidence").$type<unknown>(),
    movedBackAt: timestamp("moved_back_at", { withTimezone: true }),
    movedBackFrom: text("moved_back_from"),
    movedBackBy: text("moved_back_by"),
    movedBackAction: text("moved_back_action"),
  },
  (t) => [primaryKey({ columns: [t.flagId, t.environmentId] })],
);

// ── Guarded ramps ───────────────────────────────────────────────────────────────────────

/**
 * One guarded ramp per flag × environment: the plan, the step it is at and since when (a restart
 * resumes the hold from `step_started_at`), and the guard's latest check, shown on the flag page.
 */
export const rampPlans = pgTable(
  "ramp_plans",
  {
    flagId: integer("flag_id")
      .notNull()
      .references(() => flags.id, { onDelete: "cascade" }),
    environmentId: integer("environment_id")
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    plan: jsonb("plan").$type<RampPlan>().notNull(),
    status: text("status").$type<RampPlanStatus>().notNull(),
    step: integer("step").notNull(),
    stepStartedAt: timestamp("step_started_at", { withTimezone: true }).notNull(),
    /** Why it is paused, rolled back or aborted, in plain words; null while running. */
    statusReason: text("status_reason"),
    lastCheck: jsonb("last_check").$type<unknown>(),
    lastCheckAt: timestamp("last_check_at", { withTimezone: true }),
    version: integer("version").notNull().default(1),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    startedBy: text("started_by").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
    updatedBy: text("updated_by").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.flagId, t.environmentId] }),
    check("ramp_plans_status", isOneOf(t.status, rampPlanStatuses)),
    index("ramp_plans_status_idx").on(t.status),
  ],
);

/**
 * `rollout`-reason samples of flags under a running plan, per path and 10-second bucket: the
 * guard's evidence. Minute rows would cost up to a minute of evidence at every step start.
 */
export const guardWindows = pgTable(
  "guard_windows",
  {
    environmentId: integer("environment_id")
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    flagId: integer("flag_id")
      .notNull()
      .references(() => flags.id, { onDelete: "cascade" }),
    path: text("path").$type<"new" | "legacy">().notNull(),
    windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
    requests: bigint("requests", { mode: "number" }).notNull(),
    errors: bigint("errors", { mode: "number" }).notNull(),
    sketch: text("sketch"),
  },
  (t) => [
    primaryKey({ columns: [t.environmentId, t.flagId, t.path, t.windowStart] }),
    check("guard_windows_path", sql`${t.path} in ('new', 'legacy')`),
    index("guard_windows_window_start_idx").on(t.windowStart),
  ],
);

// ── Application databases (evidence) ───────────────────────────────────────────────────

/**
 * The application's own database in an environment, which Rampart reads (read-only) for
 * evidence. The DSN is stored encrypted (AES-256-GCM, lib/app-db/dsn-cipher.ts) and never sent out.
 */
export const appDatabases = pgTable(
  "app_databases",
  {
    id: serial("id").primaryKey(),
    environmentId: integer("environment_id")
      .notNull()
      .unique()
      .references(() => environments.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    kind: text("kind").$type<AppDbKind>().notNull(),
    dsnCiphertext: text("dsn_ciphertext").notNull(),
    health: text("health").$type<AppDbHealth>().notNull().default("unknown"),
    /** What the last test found, in words; never holds the DSN. */
    healthDetail: text("health_detail"),
    serverVersion: text("server_version"),
    checkedAt: timestamp("checked_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    createdBy: text("created_by").notNull(),
  },
  (t) => [check("app_databases_kind", isOneOf(t.kind, appDbKinds)), check("app_databases_health", isOneOf(t.health, appDbHealths))],
);

/**
 * The new index's cumulative scan counter, sampled every minute from the application database:
 * the seed's "idx_scan should climb as the rollout percentage rises". A counter that goes down was reset.
 */
export const indexScanSamples = pgTable(
  "index_scan_samples",
  {
    environmentId: integer("environment_id")
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    tableName: text("table_name").notNull(),
    indexName: text("index_name").notNull(),
    sampledAt: timestamp("sampled_at", { withTimezone: true }).notNull(),
    idxScan: bigint("idx_scan", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.environmentId, t.tableName, t.indexName, t.sampledAt] }), index("index_scan_samples_sampled_at_idx").on(t.sampledAt)],
);

/**
 * Cumulative calls of the statements naming a contraction's old column, split into reads and
 * writes, sampled every minute from pg_stat_statements or events_statements_summary_by_digest.
 * `statsReset` and `evicted` let a reader tell a reset or an eviction from a quiet minute; a
 * row with null counts says why there is no reading.
 */
export const oldColumnStatementSamples = pgTable(
  "old_column_statement_samples",
  {
    environmentId: integer("environment_id")
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    tableName: text("table_name").notNull(),
    columnName: text("column_name").notNull(),
    sampledAt: timestamp("sampled_at", { withTimezone: true }).notNull(),
    source: text("source").$type<"pg_stat_statements" | "performance_schema">(),
    reads: bigint("reads", { mode: "number" }),
    writes: bigint("writes", { mode: "number" }),
    statsReset: timestamp("stats_reset", { withTimezone: true }),
    /** pg_stat_statements_info.dealloc, or MySQL's Performance_schema_digest_lost: entries the server dropped. */
    evicted: bigint("evicted", { mode: "number" }),
    why: text("why"),
  },
  (t) => [primaryKey({ columns: [t.environmentId, t.tableName, t.columnName, t.sampledAt] }), index("old_column_statement_samples_sampled_at_idx").on(t.sampledAt)],
);

/**
 * A minute of 5-second samples of the application database's running queries, per contraction:
 * how many named the old column to read or write it, and how many sessions waited on a lock on the table.
 */
export const appActivityMinutes = pgTable(
  "app_activity_minutes",
  {
    environmentId: integer("environment_id")
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    tableName: text("table_name").notNull(),
    columnName: text("column_name").notNull(),
    minute: timestamp("minute", { withTimezone: true }).notNull(),
    samples: integer("samples").notNull(),
    reads: integer("reads").notNull(),
    writes: integer("writes").notNull(),
    /** Null where the server does not expose lock waits to this role. */
    lockWaitingSamples: integer("lock_waiting_samples"),
    maxLockWaiting: integer("max_lock_waiting"),
  },
  (t) => [primaryKey({ columns: [t.environmentId, t.tableName, t.columnName, t.minute] }), index("app_activity_minutes_minute_idx").on(t.minute)],
);

/** The latest divergent-rows scan of a contraction's two columns in an environment, with its progress. */
export const divergenceScans = pgTable(
  "divergence_scans",
  {
    environmentId: integer("environment_id")
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    tableName: text("table_name").notNull(),
    oldColumn: text("old_column").notNull(),
    newColumn: text("new_column").notNull(),
    status: text("status").$type<"running" | "done" | "unavailable">().notNull(),
    rowsScanned: bigint("rows_scanned", { mode: "number" }).notNull().default(0),
    divergent: bigint("divergent", { mode: "number" }).notNull().default(0),
    lastKey: text("last_key"),
    detail: text("detail"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    startedBy: text("started_by").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.environmentId, t.tableName, t.oldColumn, t.newColumn] }),
    check("divergence_scans_status", sql`${t.status} in ('running', 'done', 'unavailable')`),
  ],
);

// ── Notifications ──────────────────────────────────────────────────────────────────

export const destinationKinds = ["slack", "webhook"] as const;
export type DestinationKind = (typeof destinationKinds)[number];

/** Where notifications go. The URL and the signing secret are encrypted (lib/secrets); `urlHost` is what people see. */
export const notificationDestinations = pgTable(
  "notification_destinations",
  {
    id: serial("id").primaryKey(),
    name: text("name").notNull().unique(),
    kind: text("kind").$type<DestinationKind>().notNull(),
    urlCiphertext: text("url_ciphertext").notNull(),
    urlHost: text("url_host").notNull(),
    signingSecretCiphertext: text("signing_secret_ciphertext"),
    eventTypes: jsonb("event_types").$type<NotificationEventType[]>().notNull(),
    /** Environment keys; null for all of them. */
    environments: jsonb("environments").$type<string[] | null>(),
    minSeverity: text("min_severity").$type<Severity>().notNull().default("info"),
    enabled: boolean("enabled").notNull().default(true),
    /** A weekly list of stale flags and overdue removal tickets, for managers (lib/notifications/stale-digest.ts). */
    staleDigest: boolean("stale_digest").notNull().default(false),
    /** The weekly slot the last digest was made for; the next is due at the next slot. */
    staleDigestSlot: timestamp("stale_digest_slot", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    createdBy: text("created_by").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("notification_destinations_kind", isOneOf(t.kind, destinationKinds)), check("notification_destinations_min_severity", isOneOf(t.minSeverity, severities))],
);

export const deliveryStatuses = ["pending", "delivered", "failed"] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

/**
 * The outbox: one row per destination per event, written in the audit event's transaction, so a
 * committed change always has its notifications and a rolled-back one never does.
 */
export const notificationDeliveries = pgTable(
  "notification_deliveries",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    destinationId: integer("destination_id")
      .notNull()
      .references(() => notificationDestinations.id, { onDelete: "cascade" }),
    /** The receiver's idempotency key, sent as Rampart-Event-Id. */
    eventId: text("event_id").notNull(),
    auditEventId: bigint("audit_event_id", { mode: "number" }),
    eventType: text("event_type").$type<NotificationEventType | "test" | "stale_digest">().notNull(),
    severity: text("severity").$type<Severity>().notNull(),
    /** Deliveries of one flag to one destination go in order; null groups the flagless ones. */
    flagId: integer("flag_id"),
    payload: jsonb("payload").notNull(),
    status: text("status").$type<DeliveryStatus>().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastAttemptAt: timestamp("last_attempt_at", { withTimezone: true }),
    lastStatusCode: integer("last_status_code"),
    lastResponseExcerpt: text("last_response_excerpt"),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** When retrying began: created, or redelivered by an admin. Retries stop an hour after it. */
    queuedAt: timestamp("queued_at", { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  (t) => [
    check("notification_deliveries_status", isOneOf(t.status, deliveryStatuses)),
    uniqueIndex("notification_deliveries_destination_event_idx").on(t.destinationId, t.eventId),
    index("notification_deliveries_pending_idx").on(t.status, t.destinationId, t.flagId, t.id),
  ],
);

// ── Sign-in (better-auth's models, mapped in lib/auth/auth.ts) ──────────────────────────

export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    email: text("email").notNull().unique(),
    emailVerified: boolean("email_verified").notNull().default(false),
    image: text("image"),
    role: text("role").$type<Role>().notNull().default("viewer"),
    disabled: boolean("disabled").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("users_role", isOneOf(t.role, roles))],
);

export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    token: text("token").notNull().unique(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("sessions_user_id_idx").on(t.userId)],
);

export const accounts = pgTable(
  "accounts",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    providerId: text("provider_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    accessToken: text("access_token"),
    refreshToken: text("refresh_token"),
    idToken: text("id_token"),
    accessTokenExpiresAt: timestamp("access_token_expires_at", { withTimezone: true }),
    refreshTokenExpiresAt: timestamp("refresh_token_expires_at", { withTimezone: true }),
    scope: text("scope"),
    password: text("password"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("accounts_user_id_idx").on(t.userId)],
);

export const verifications = pgTable("verifications", {
  id: text("id").primaryKey(),
  identifier: text("identifier").notNull(),
  value: text("value").notNull(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Login attempts per client, shared by every control-plane instance. */
export const rateLimits = pgTable("rate_limits", {
  id: text("id").primaryKey(),
  key: text("key").notNull().unique(),
  count: integer("count").notNull(),
  lastRequest: bigint("last_request", { mode: "number" }).notNull(),
});

// ── Credentials for automation and services ─────────────────────────────────────────────

/** Bearer tokens for curl, CI and chat-ops; only the SHA-256 of the secret is kept. */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: serial("id").primaryKey(),
    name: text("name").notNull().unique(),
    role: text("role").$type<Role>().notNull(),
    environmentId: integer("environment_id").references(() => environments.id, { onDelete: "cascade" }),
    secretHash: text("secret_hash").notNull().unique(),
    secretPrefix: text("secret_prefix").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [check("api_tokens_role", isOneOf(t.role, roles))],
);

/** Keys services use to read one environment's flag state and post its metrics. */
export const sdkKeys = pgTable("sdk_keys", {
  id: serial("id").primaryKey(),
  name: text("name").notNull(),
  environmentId: integer("environment_id")
    .notNull()
    .references(() => environments.id, { onDelete: "cascade" }),
  secretHash: text("secret_hash").notNull().unique(),
  secretPrefix: text("secret_prefix").notNull(),
  createdBy: text("created_by").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
});

/** Installation-wide settings every instance shares, such as the session-signing secret. */
export const appSettings = pgTable("app_settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

// ── Per-path metrics from SDKs ───────────────────────────────────────────────────────────

/**
 * Batch ids already stored, per environment: a retried batch is acknowledged and not counted
 * twice, and one environment's ids never shadow another's.
 */
export const metricBatches = pgTable(
  "metric_batches",
  {
    batchId: text("batch_id").notNull(),
    environmentId: integer("environment_id")
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    instanceId: text("instance_id").notNull(),
    samples: bigint("samples", { mode: "number" }).notNull(),
    dropped: bigint("dropped", { mode: "number" }).notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.environmentId, t.batchId] }), index("metric_batches_received_at_idx").on(t.receivedAt)],
);

/**
 * One row per environment × flag × path × bucket, at minute and at hour resolution, each
 * merged from every SDK instance's batches: counts, errors, evaluation reasons and a DDSketch
 * of latency in milliseconds (protobuf, base64) that merges without losing accuracy.
 */
export const pathMetrics = pgTable(
  "path_metrics",
  {
    environmentId: integer("environment_id")
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    flagId: integer("flag_id")
      .notNull()
      .references(() => flags.id, { onDelete: "cascade" }),
    path: text("path").$type<"new" | "legacy">().notNull(),
    /** `targeted` traffic (test tenants) is kept apart: it is not rollout traffic, so comparisons leave it out. */
    cohort: text("cohort").$type<MetricCohort>().notNull().default("ramp"),
    resolution: text("resolution").$type<MetricResolution>().notNull(),
    bucketStart: timestamp("bucket_start", { withTimezone: true }).notNull(),
    requests: bigint("requests", { mode: "number" }).notNull().default(0),
    errors: bigint("errors", { mode: "number" }).notNull().default(0),
    reasons: jsonb("reasons").$type<Record<string, number>>().notNull().default({}),
    sketch: text("sketch"),
  },
  (t) => [
    primaryKey({ columns: [t.environmentId, t.flagId, t.resolution, t.path, t.cohort, t.bucketStart] }),
    check("path_metrics_path", sql`${t.path} in ('new', 'legacy')`),
    check("path_metrics_cohort", isOneOf(t.cohort, metricCohorts)),
    check("path_metrics_resolution", isOneOf(t.resolution, metricResolutions)),
  ],
);
