import type { NotificationPayload } from "@/lib/audit/notification-outbox";
import type { StaleDigestPayload } from "./stale-digest";

/** A Slack incoming-webhook body in Block Kit: a header, the facts as fields, the reason, a link. */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

type Text = { type: "plain_text"; text: string; emoji?: boolean } | { type: "mrkdwn"; text: string };
export type SlackBlock =
  | { type: "header"; text: { type: "plain_text"; text: string; emoji?: boolean } }
  | { type: "section"; text?: Text; fields?: Text[] }
  | { type: "context"; elements: Text[] };

const ICON = { critical: "🔴", warning: "🟠", info: "🔵" } as const;

/** Slack's mrkdwn treats &, < and > as markup; user text is escaped so a reason cannot forge a link. */
function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function slackMessage(payload: Pick<NotificationPayload, "type" | "severity" | "summary" | "flag" | "environment" | "actor" | "source" | "reason" | "link" | "occurredAt">): SlackMessage {
  const fields: Text[] = [
    { type: "mrkdwn", text: `*Flag*\n${payload.flag ? `\`${escape(payload.flag)}\`` : "—"}` },
    { type: "mrkdwn", text: `*Environment*\n${escape(payload.environment ?? "—")}` },
    { type: "mrkdwn", text: `*By*\n${escape(payload.actor)} (${payload.source})` },
    { type: "mrkdwn", text: `*Severity*\n${payload.severity}` },
  ];
  const blocks: SlackBlock[] = [
    { type: "header", text: { type: "plain_text", text: clip(`${ICON[payload.severity]} ${payload.summary}`, 150), emoji: true } },
    { type: "section", fields },
  ];
  if (payload.reason) blocks.push({ type: "section", text: { type: "mrkdwn", text: clip(`*Reason*\n${escape(payload.reason)}`, 3000) } });
  const when = `${payload.occurredAt.replace("T", " ").slice(0, 19)} UTC`;
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: payload.link ? `<${payload.link}|Open in Rampart> · ${when}` : when }] });
  return { text: clip(`${payload.summary}${payload.reason ? `: ${payload.reason}` : ""}`, 3000), blocks };
}

/** Slack allows 50 blocks a message: the header, the context line and up to this many environments. */
const DIGEST_ENVIRONMENTS = 40;
/** Flags listed per environment in Slack; the whole list is one click away. */
const DIGEST_FLAGS = 10;

/** The weekly digest: a header, one section per environment with its most neglected flags, a link to the stale page. */
export function staleDigestSlackMessage(payload: StaleDigestPayload): SlackMessage {
  const blocks: SlackBlock[] = [{ type: "header", text: { type: "plain_text", text: clip(`🧹 ${payload.summary}`, 150), emoji: true } }];
  for (const env of payload.environments.slice(0, DIGEST_ENVIRONMENTS)) {
    const lines = env.flags.slice(0, DIGEST_FLAGS).map((flag) => `• <${flag.link}|${escape(flag.key)}> · ${escape(flag.owner)} · ${escape(flag.reasons.join("; "))}`);
    const rest = env.count - Math.min(env.flags.length, DIGEST_FLAGS);
    if (rest > 0) lines.push(`…and ${rest} more`);
    blocks.push({ type: "section", text: { type: "mrkdwn", text: clip(`*${escape(env.environment)}*: ${env.count} stale\n${lines.join("\n")}`, 3000) } });
  }
  const hidden = payload.environments.length - DIGEST_ENVIRONMENTS;
  const when = `week of ${payload.week.slice(0, 10)}`;
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `<${payload.link}|Open the stale list in Rampart> · ${when}${hidden > 0 ? ` · ${hidden} more environments there` : ""}` }] });
  return { text: clip(payload.summary, 3000), blocks };
}
