// The demo's stand-in for Slack: an incoming-webhook receiver on the control server. Rampart posts
// its Block Kit messages to POST /slack as it would to hooks.slack.com; the demo prints each one
// readably and keeps the last few, which GET /slack lists (newest last) for tests and curious people.
import type { IncomingMessage, ServerResponse } from "node:http";
import { apiFailure, type Api } from "./api";
import { bold, dim, red, say, yellow } from "./output";

export const SLACK_SINK_PATH = "/slack";
/** The destination the demo registers in Rampart; found again by this name on a restart. */
export const SLACK_SINK_DESTINATION = "demo Slack sink";
/** What on-call wants to hear about in the demo: kills by a person or the guard, a paused ramp, a restore. */
export const SLACK_SINK_EVENTS = ["kill", "guard_rollback", "guard_paused", "restore"] as const;
export const SLACK_SINK_KEEP = 50;
/** Slack refuses bodies much larger than its 3,000-character sections allow; so does the sink. */
const MAX_BODY_BYTES = 256 * 1024;

/** One message as a person reads it, with the body Rampart sent. */
export interface SlackSinkMessage {
  receivedAt: string;
  header: string | null;
  fields: { label: string; value: string }[];
  reason: string | null;
  link: { text: string; url: string } | null;
  /** Every other line of text (sections without a label, the context's time), in order. */
  lines: string[];
  body: { text?: string; blocks?: unknown[] };
}

type TextObject = { type?: unknown; text?: unknown };
type Block = { type?: unknown; text?: TextObject; fields?: TextObject[]; elements?: TextObject[] };

/** Slack's escaping undone, so the terminal shows `<` and `&` as the reason had them. */
function unescape(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/** mrkdwn to plain text: `*bold*` and `code` marks dropped, `<url|label>` kept as its label. */
function plain(text: string): string {
  return unescape(text.replace(/<([^|>]+)\|([^>]+)>/g, "$2").replace(/<([^|>]+)>/g, "$1").replace(/\*([^*\n]+)\*/g, "$1").replace(/`([^`\n]+)`/g, "$1"));
}

/** A mrkdwn text whose first line is `*Label*` is a labelled value, as Slack renders a field. */
function labelled(text: string): { label: string; value: string } | null {
  const match = /^\*([^*\n]+)\*\n([\s\S]*)$/.exec(text);
  return match ? { label: match[1]!, value: plain(match[2]!) } : null;
}

function textOf(object: TextObject | undefined): string | null {
  return object && typeof object.text === "string" ? object.text : null;
}

/** Reads what Slack would show of a Block Kit body: the header, the fields, the reason, the link, the rest. */
export function readSlackMessage(body: { text?: string; blocks?: unknown[] }, receivedAt = new Date()): SlackSinkMessage {
  const message: SlackSinkMessage = { receivedAt: receivedAt.toISOString(), header: null, fields: [], reason: null, link: null, lines: [], body };
  for (const block of (body.blocks ?? []) as Block[]) {
    if (block.type === "header") {
      message.header ??= textOf(block.text);
    } else if (block.type === "section") {
      for (const field of block.fields ?? []) {
        const text = textOf(field);
        if (text === null) continue;
        const pair = labelled(text);
        if (pair) message.fields.push(pair);
        else message.lines.push(plain(text));
      }
      const text = textOf(block.text);
      if (text === null) continue;
      const pair = labelled(text);
      if (pair?.label === "Reason") message.reason = pair.value;
      else message.lines.push(pair ? `${pair.label}: ${pair.value}` : plain(text));
    } else if (block.type === "context") {
      for (const element of block.elements ?? []) {
        const text = textOf(element);
        if (text === null) continue;
        const link = /<([^|>]+)\|([^>]+)>/.exec(text);
        if (link && !message.link) message.link = { url: link[1]!, text: unescape(link[2]!) };
        const rest = plain(text.replace(/<[^>]+>/, "")).replace(/^\s*·\s*/, "").trim();
        if (rest) message.lines.push(rest);
      }
    }
  }
  // A message without a header block (plain `text`, as many webhooks send) still gets a first line.
  if (message.header === null && typeof body.text === "string") message.header = plain(body.text);
  return message;
}

/** The lines the terminal shows for one message: the header in the severity's colour, then the rest indented. */
export function slackSinkLines(message: SlackSinkMessage): string[] {
  const header = message.header ?? "(no header)";
  const colour = header.startsWith("🔴") ? red : header.startsWith("🟠") ? yellow : (text: string) => text;
  const lines = [`${bold("Slack ▸")} ${colour(bold(header))}`];
  if (message.fields.length > 0) lines.push(`        ${message.fields.map(({ label, value }) => `${dim(label)} ${value}`).join(dim(" · "))}`);
  if (message.reason) lines.push(`        ${dim("Reason")} ${message.reason}`);
  if (message.link) lines.push(`        ${dim(`${message.link.text}:`)} ${message.link.url}`);
  for (const line of message.lines) lines.push(`        ${dim(line)}`);
  return lines;
}

/** Receives, prints and keeps Slack messages; `handle` answers the control server's /slack requests. */
export class SlackSink {
  private readonly received: SlackSinkMessage[] = [];

  constructor(private readonly print: (lines: string[]) => void = (lines) => lines.forEach((line) => say(line))) {}

  get messages(): readonly SlackSinkMessage[] {
    return this.received;
  }

  /** Answers like Slack's incoming webhooks: 200 "ok", or 400 "invalid_payload" / "no_text". False for other paths. */
  handle(request: IncomingMessage, response: ServerResponse, path: string): boolean {
    if (path !== SLACK_SINK_PATH) return false;
    const send = (status: number, body: string, type = "text/plain") => {
      response.writeHead(status, { "content-type": type, connection: "close" });
      response.end(body);
    };
    if (request.method === "GET") {
      request.resume();
      send(200, `${JSON.stringify({ messages: this.received })}\n`, "application/json");
      return true;
    }
    if (request.method !== "POST") {
      request.resume();
      send(405, "use POST /slack (a Slack incoming-webhook body) or GET /slack\n");
      return true;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on("end", () => {
      if (size > MAX_BODY_BYTES) return send(413, "payload_too_large");
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        return send(400, "invalid_payload");
      }
      if (typeof body !== "object" || body === null || Array.isArray(body)) return send(400, "invalid_payload");
      const { text, blocks } = body as { text?: unknown; blocks?: unknown };
      if (blocks !== undefined && !Array.isArray(blocks)) return send(400, "invalid_blocks");
      if (typeof text !== "string" && !(Array.isArray(blocks) && blocks.length > 0)) return send(400, "no_text");
      const message = readSlackMessage(body as SlackSinkMessage["body"]);
      this.received.push(message);
      if (this.received.length > SLACK_SINK_KEEP) this.received.shift();
      this.print(slackSinkLines(message));
      send(200, "ok");
    });
    return true;
  }
}

interface DestinationSummary {
  id: number;
  name: string;
  kind: string;
  urlHost: string;
  enabled: boolean;
}

/**
 * Registers the sink as a Slack destination for the demo environment's kills, guard decisions and
 * restores. A rerun finds it by name: it is pointed at this run's port if that moved, otherwise
 * left as a person may have changed it (disabled, other events).
 */
export async function registerSlackSink(api: Api, input: { url: string; environment: string }): Promise<void> {
  const listed = await api("/api/notifications/destinations", "GET");
  if (listed.status !== 200) apiFailure("listing the notification destinations", listed);
  const current = (listed.body as { destinations: DestinationSummary[] }).destinations.find((destination) => destination.name === SLACK_SINK_DESTINATION);
  const host = new URL(input.url).host;
  if (!current) {
    const added = await api("/api/notifications/destinations", "POST", {
      name: SLACK_SINK_DESTINATION,
      kind: "slack",
      url: input.url,
      eventTypes: SLACK_SINK_EVENTS,
      environments: [input.environment],
      minSeverity: "info",
    });
    if (added.status !== 201) apiFailure(`adding the Slack destination "${SLACK_SINK_DESTINATION}"`, added);
    say(`Rampart posts ${SLACK_SINK_EVENTS.join(", ")} in ${input.environment} as Slack messages to ${input.url}; they print here`);
    return;
  }
  if (current.urlHost !== host) {
    const moved = await api(`/api/notifications/destinations/${current.id}`, "PATCH", { url: input.url });
    if (moved.status !== 200) apiFailure(`pointing the Slack destination "${SLACK_SINK_DESTINATION}" at ${input.url}`, moved);
    say(`the Slack destination "${SLACK_SINK_DESTINATION}" now posts to ${input.url}`);
  } else {
    say(`Rampart posts Slack messages to ${input.url} ("${SLACK_SINK_DESTINATION}"); they print here`);
  }
  if (!current.enabled) say(yellow(`the Slack destination "${SLACK_SINK_DESTINATION}" is disabled: enable it in Settings → Notifications to see messages here`));
}
