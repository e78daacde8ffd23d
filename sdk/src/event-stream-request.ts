import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";

/**
 * GETs a server-sent-event stream with node:http and hands each text chunk to `onText`;
 * resolves when the stream ends. Measured with 1,000 streams in one process, Node's fetch
 * (web streams) spent about twice as long per chunk as this.
 */
export function readEventStream(
  url: URL,
  headers: Record<string, string>,
  signal: AbortSignal,
  onOpen: () => void,
  onText: (text: string) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === "https:" ? httpsRequest : httpRequest)(url, { headers, signal }, (response: IncomingMessage) => {
      if (response.statusCode !== 200) {
        response.resume();
        reject(new Error(`Rampart answered ${response.statusCode} for ${url.pathname}`));
        return;
      }
      onOpen();
      response.setEncoding("utf8");
      response.on("data", onText);
      response.on("end", resolve);
      response.on("error", reject);
      response.on("aborted", () => reject(new Error("the stream was cut")));
    });
    request.on("error", reject);
    request.end();
  });
}
