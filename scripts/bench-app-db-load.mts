// A child of `npm run bench:app-db`: the application's own traffic on its orders table, open-loop
// at a fixed rate from a small pool, in its own process so Rampart's work in the parent never
// delays it. Latency runs from each query's scheduled time, so waiting for a pool connection counts.
import mysql from "mysql2/promise";
import pg from "pg";

export interface LoadCommand {
  type: "start";
  kind: "postgresql" | "mysql";
  dsn: string;
  /** Queries per second, spread evenly. */
  rate: number;
  pool: number;
  /** Ids are drawn from 1..rows. */
  rows: number;
  /** point: a select and an update by id. mixed: reads and dual writes of both columns, one read by the new index. */
  mix: "point" | "mixed";
  /** PostgreSQL: false commits without waiting for the WAL flush (synchronous_commit = off), so a shared disk's fsync stalls stay out of the latencies. */
  synchronousCommit: boolean;
}
/** `window` starts a new measuring window; `collect` answers the window's latencies; `stop` ends. */
export type LoadMessage = LoadCommand | { type: "window" } | { type: "collect" } | { type: "stop" };

export type LoadReport =
  | { type: "started" }
  | { type: "collected"; latencies: Record<string, number[]>; errors: number; firstError: string | null; seconds: number }
  | { type: "failed"; message: string };

type Execute = (sql: string, params: unknown[]) => Promise<unknown>;
interface Operation {
  name: string;
  run(execute: Execute, id: number): Promise<unknown>;
}

const STATUSES = ["pending", "paid", "shipped", "cancelled"];

function operations(kind: LoadCommand["kind"], mix: LoadCommand["mix"]): Operation[] {
  // Placeholders in order: $1, $2… for PostgreSQL, ? for MySQL, so parameters are listed as they appear.
  const sql = (text: string) => {
    let n = 0;
    return kind === "postgresql" ? text.replace(/\?/g, () => `$${++n}`) : text;
  };
  const status = (id: number) => STATUSES[id % STATUSES.length]!;
  if (mix === "point") {
    const select = sql("select * from orders where id = ?");
    const update = sql("update orders set status = ?, order_status = ? where id = ?");
    return [
      { name: "select by id", run: (execute, id) => execute(select, [id]) },
      { name: "update by id", run: (execute, id) => execute(update, [status(id + 1), status(id + 1), id]) },
    ];
  }
  const byId = sql("select id, status, order_status, legacy_total, new_total from orders where id = ?");
  // A rare status, so the planner takes the new index (a common one reads the primary key backwards).
  const byNewIndex = sql("select id, status, new_total from orders where order_status = 'refunded' order by id desc limit 20");
  const dualWrite = sql("update orders set status = ?, order_status = ?, legacy_total = ?, new_total = ? where id = ?");
  return [
    { name: "read both columns by id", run: (execute, id) => execute(byId, [id]) },
    { name: "read by new index", run: (execute) => execute(byNewIndex, []) },
    { name: "dual write", run: (execute, id) => execute(dualWrite, [status(id + 1), status(id + 1), (id % 997) + 0.5, (id % 997) + 0.5, id]) },
  ];
}

async function connect(command: LoadCommand): Promise<{ execute: Execute; close(): Promise<void> }> {
  if (command.kind === "postgresql") {
    // Connections are kept for the whole run (idleTimeoutMillis 0), as an application's pool would.
    const pool = new pg.Pool({
      connectionString: command.dsn,
      max: command.pool,
      idleTimeoutMillis: 0,
      application_name: "bench-app",
      ...(command.synchronousCommit ? {} : { options: "-c synchronous_commit=off" }),
    });
    pool.on("error", () => undefined);
    const clients = await Promise.all(Array.from({ length: command.pool }, () => pool.connect()));
    for (const client of clients) client.release();
    return { execute: (sql, params) => pool.query(sql, params), close: () => pool.end() };
  }
  const pool = mysql.createPool({ uri: command.dsn, connectionLimit: command.pool, maxIdle: command.pool, idleTimeout: 3_600_000 });
  const connections = await Promise.all(Array.from({ length: command.pool }, () => pool.getConnection()));
  for (const connection of connections) connection.release();
  return { execute: (sql, params) => pool.query(sql, params), close: () => pool.end() };
}

async function run(command: LoadCommand): Promise<void> {
  const database = await connect(command);
  const ops = operations(command.kind, command.mix);
  let latencies: Record<string, number[]> = {};
  let errors = 0;
  let firstError: string | null = null;
  let windowStart = performance.now();
  let stopping = false;
  const inFlight = new Set<Promise<unknown>>();

  process.on("message", async (message: LoadMessage) => {
    if (message.type === "window") {
      latencies = Object.fromEntries(ops.map((op) => [op.name, []]));
      errors = 0;
      firstError = null;
      windowStart = performance.now();
    } else if (message.type === "collect") {
      send({ type: "collected", latencies, errors, firstError, seconds: (performance.now() - windowStart) / 1000 });
    } else if (message.type === "stop") {
      stopping = true;
      await Promise.allSettled(inFlight);
      await database.close();
      process.exit(0);
    }
  });
  latencies = Object.fromEntries(ops.map((op) => [op.name, []]));
  send({ type: "started" });

  const started = performance.now();
  for (let i = 0; !stopping; i++) {
    const due = started + (i * 1000) / command.rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const op = ops[i % ops.length]!;
    const id = 1 + Math.floor(Math.random() * command.rows);
    const window = latencies;
    const query = op.run(database.execute, id).then(
      () => window[op.name]!.push(performance.now() - due),
      (error: unknown) => {
        errors += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
      },
    );
    inFlight.add(query);
    void query.finally(() => inFlight.delete(query));
  }
}

const send = (report: LoadReport) => process.send!(report);

process.once("message", (message: LoadMessage) => {
  if (message.type !== "start") return;
  run(message).catch((error: unknown) => {
    send({ type: "failed", message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  });
});
