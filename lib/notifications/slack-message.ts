import type { NotificationPayload } from "@/lib/audit/notification-outbox";

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
