// A child of `npm run bench:propagation` with BENCH_READERS=raw: holds many SDK streams on bare
// sockets, each sending the real HTTP request with the SDK key and parsing the real bytes (HTTP
// head, chunked framing, SSE id/event/data lines, the JSON of each flag event), far lighter than
// one full SDK client per stream. It reports when each stream saw the bench flag's new version.
import net from "node:net";
import { StringDecoder } from "node:string_decoder";

export interface OpenCommand {
  type: "open";
  port: number;
  sdkKey: string;
  flagKey: string;
  count: number;
  concurrency: number;
}
export interface ExpectCommand {
  type: "expect";
  round: number;
  version: number;
}
export type ReaderCommand = OpenCommand | ExpectCommand | { type: "close" };

export type ReaderReport =
  | { type: "opened"; streams: number; retries: number }
  | { type: "seen"; round: number; times: number[] }
  | { type: "behind"; round: number; behind: number }
  | { type: "dropped"; streams: number }
  | { type: "failed"; message: string };

/** Milliseconds on the system-wide monotonic clock, so the parent and every reader agree. */
const now = () => Number(process.hrtime.bigint()) / 1e6;

const send = (report: ReaderReport) => process.send!(report);

class StreamReader {
  /** The newest version of the bench flag this stream delivered, and when it arrived. */
  version = -1;
  seenAt = 0;
  ready = false;
  private head: string | null = "";
  private chunked = false;
  /** Bytes left in the current chunk; -1 while reading a size line, -2 while skipping a chunk's CRLF. */
  private chunkLeft = -1;
  private crlfLeft = 0;
  private sizeLine = "";
  private readonly text = new StringDecoder("utf8");
  private partialLine = "";
  private eventName = "";
  private data: string[] = [];

  constructor(
    private readonly flagKey: string,
    private readonly onVersion: (reader: StreamReader) => void,
    private readonly onFailure: (reason: string) => void,
  ) {}

  take(bytes: Buffer): void {
    if (this.head !== null) {
      this.head += bytes.toString("latin1");
      const end = this.head.indexOf("\r\n\r\n");
      if (end < 0) return;
      const head = this.head.slice(0, end);
      const rest = Buffer.from(this.head.slice(end + 4), "latin1");
      this.head = null;
      if (!head.startsWith("HTTP/1.1 200")) return this.onFailure(head.split("\r\n")[0]);
      this.chunked = /\r\ntransfer-encoding:\s*chunked/i.test(head);
      bytes = rest;
    }
    if (!this.chunked) return this.sse(bytes);
    let offset = 0;
    while (offset < bytes.length) {
      if (this.chunkLeft > 0) {
        const end = Math.min(bytes.length, offset + this.chunkLeft);
        this.sse(bytes.subarray(offset, end));
        this.chunkLeft -= end - offset;
        offset = end;
        if (this.chunkLeft === 0) {
          this.chunkLeft = -2;
          this.crlfLeft = 2;
        }
      } else if (this.chunkLeft === -2) {
        const skip = Math.min(this.crlfLeft, bytes.length - offset);
        offset += skip;
        this.crlfLeft -= skip;
        if (this.crlfLeft === 0) this.chunkLeft = -1;
      } else {
        const newline = bytes.indexOf(10, offset);
        if (newline < 0) {
          this.sizeLine += bytes.toString("latin1", offset);
          return;
        }
        this.sizeLine += bytes.toString("latin1", offset, newline);
        offset = newline + 1;
        const size = Number.parseInt(this.sizeLine.trim(), 16);
        this.sizeLine = "";
        if (!Number.isFinite(size)) return this.onFailure("bad chunk size");
        if (size === 0) return this.onFailure("the stream ended");
        this.chunkLeft = size;
      }
    }
  }

  /** Server-sent events as the spec reads them: lines, fields, a blank line dispatches. */
  private sse(bytes: Buffer): void {
    const text = this.partialLine + this.text.write(bytes);
    let start = 0;
    for (let newline = text.indexOf("\n"); newline >= 0; newline = text.indexOf("\n", start)) {
      const line = text.charCodeAt(newline - 1) === 13 ? text.slice(start, newline - 1) : text.slice(start, newline);
      start = newline + 1;
      if (line === "") this.dispatch();
      else if (line.charCodeAt(0) !== 58 /* ":" comment */) {
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? "" : line.slice(line.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1);
        if (field === "event") this.eventName = value;
        else if (field === "data") this.data.push(value);
      }
    }
    this.partialLine = text.slice(start);
  }

  private dispatch(): void {
    const eventName = this.eventName;
    const data = this.data;
    this.eventName = "";
    this.data = [];
    if (eventName !== "flag" || data.length === 0) return;
    const flag = JSON.parse(data.join("\n")) as { key: string; version: number };
    if (flag.key !== this.flagKey || flag.version <= this.version) return;
    this.version = flag.version;
    this.seenAt = now();
    this.onVersion(this);
  }
}

let readers: StreamReader[] = [];
let sockets: net.Socket[] = [];
let expected: ExpectCommand | null = null;
let behindTimer: ReturnType<typeof setTimeout> | undefined;
let dropped = 0;
let closing = false;

function checkExpected(): void {
  if (!expected) return;
  const target = expected.version;
  if (readers.some((reader) => reader.version < target)) return;
  const { round } = expected;
  expected = null;
  clearTimeout(behindTimer);
  send({ type: "seen", round, times: readers.map((reader) => reader.seenAt) });
}

async function open({ port, sdkKey, flagKey, count, concurrency }: OpenCommand): Promise<void> {
  const request = `GET /api/sdk/stream HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\nAuthorization: Bearer ${sdkKey}\r\n\r\n`;
  let retries = 0;
  const openOne = (attempt = 0): Promise<void> =>
    new Promise((resolve, reject) => {
      let settled = false;
      const socket = net.connect(port, "127.0.0.1");
      const reader = new StreamReader(
        flagKey,
        (seen) => {
          if (!seen.ready) {
            seen.ready = true;
            settled = true;
            readers.push(seen);
            sockets.push(socket);
            resolve();
          } else checkExpected();
        },
        (reason) => socket.destroy(new Error(reason)),
      );
      socket.on("data", (bytes: Buffer) => reader.take(bytes));
      socket.on("close", () => {
        if (closing) return;
        if (settled) {
          dropped += 1;
          send({ type: "dropped", streams: dropped });
          return;
        }
        settled = true;
        if (attempt >= 5) return reject(new Error("a stream did not open after 5 retries"));
        retries += 1;
        setTimeout(() => openOne(attempt + 1).then(resolve, reject), 100 * 2 ** attempt);
      });
      socket.on("error", () => undefined);
      socket.write(request);
    });

  // A bounded number of handshakes in flight, so the server's accept backlog never overflows.
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      await openOne();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  send({ type: "opened", streams: readers.length, retries });
}

process.on("message", (command: ReaderCommand) => {
  if (command.type === "open") {
    open(command).catch((error: Error) => send({ type: "failed", message: error.message }));
  } else if (command.type === "expect") {
    expected = command;
    behindTimer = setTimeout(() => {
      const behind = readers.filter((reader) => reader.version < command.version).length;
      send({ type: "behind", round: command.round, behind });
    }, 10_000);
    checkExpected();
  } else {
    closing = true;
    clearTimeout(behindTimer);
    for (const socket of sockets) socket.destroy();
    readers = [];
    sockets = [];
    process.disconnect();
  }
});
