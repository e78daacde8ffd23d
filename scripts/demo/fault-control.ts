// The demo's control server, on 127.0.0.1 only: the fault switch
//   POST /fault/on, POST /fault/off, POST /fault/toggle, GET /fault → { "fault": bool }
// and whatever else the demo mounts on it (the Slack sink's /slack).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

/** Another route on the control server: answers and returns true when the path is its own. */
export type ControlRoute = (request: IncomingMessage, response: ServerResponse, path: string) => boolean;

/** The fault state the orders service reads on every request; `onChange` hears each flip. */
export class FaultSwitch {
  private on = false;

  constructor(private readonly onChange: (on: boolean, via: string) => void = () => undefined) {}

  get fault(): boolean {
    return this.on;
  }

  setFault(on: boolean, via: string): void {
    if (this.on === on) return;
    this.on = on;
    this.onChange(on, via);
  }
}

export function startFaultControl(target: FaultSwitch, port: number, routes: ControlRoute[] = []): Promise<Server> {
  const server = createServer((request, response) => {
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json", connection: "close" });
      response.end(`${JSON.stringify(body)}\n`);
    };
    const path = (request.url ?? "/").split("?")[0].replace(/\/+$/, "");
    if (routes.some((route) => route(request, response, path))) return;
    request.resume(); // any body is ignored
    const actions: Record<string, boolean> = { "/fault/on": true, "/fault/off": false, "/fault/toggle": !target.fault };
    const action = Object.hasOwn(actions, path) ? actions[path] : undefined;
    if (path === "/fault") {
      if (request.method !== "GET") return send(405, { error: "use GET /fault, or POST /fault/on | /fault/off" });
      return send(200, { fault: target.fault });
    }
    if (action === undefined) return send(404, { error: "try GET /fault, POST /fault/on, POST /fault/off" });
    if (request.method !== "POST") return send(405, { error: `use POST ${path}` });
    target.setFault(action, `HTTP ${path}`);
    send(200, { fault: target.fault });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
