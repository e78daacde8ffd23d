import { sql } from "drizzle-orm";
import {
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
} from "drizzle-orm/pg-core";

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
    killed: boolean("killed").notNull().default(false),
    percentageBeforeKillBp: integer("percentage_before_kill_bp"),
    version: integer("version").notNull().default(1),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text("updated_by").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.flagId, t.environmentId] }),
    check("flag_states_percentage_bp", sql`${t.percentageBp} between 0 and 10000`),
    check(
      "flag_states_percentage_before_kill_bp",
      sql`${t.percentageBeforeKillBp} is null or ${t.percentageBeforeKillBp} between 0 and 10000`,
    ),
  ],
);

export const auditSources = ["ui", "api", "controller"] as const;
export type AuditSource = (typeof auditSources)[number];

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
    check("audit_events_source", sql`${t.source} in ('ui', 'api', 'controller')`),
    index("audit_events_flag_id_idx").on(t.flagId, t.id),
    index("audit_events_environment_id_idx").on(t.environmentId, t.id),
  ],
);

export const removalTicketStatuses = ["open", "ready", "flag_removed", "done"] as const;
export type RemovalTicketStatus = (typeof removalTicketStatuses)[number];

/** Created with every flag: who removes it, when, and which old column goes with it. */
export const removalTickets = pgTable(
  "removal_tickets",
  {
    id: serial("id").primaryKey(),
    flagId: integer("flag_id")
      .notNull()
      .unique()
      .references(() => flags.id, { onDelete: "cascade" }),
    owner: text("owner").notNull(),
    triggerCondition: text("trigger_condition").notNull(),
    dueAt: timestamp("due_at", { withTimezone: true }).notNull(),
    contractionTable: text("contraction_table"),
    contractionOldColumn: text("contraction_old_column"),
    contractionNewColumn: text("contraction_new_column"),
    status: text("status").$type<RemovalTicketStatus>().notNull().default("open"),
    link: text("link"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("removal_tickets_status", sql`${t.status} in ('open', 'ready', 'flag_removed', 'done')`),
    index("removal_tickets_due_at_idx").on(t.dueAt),
  ],
);
