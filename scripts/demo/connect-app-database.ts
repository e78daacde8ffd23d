// Connects Rampart to the demo's application database through the API (POST /api/app-databases,
// as an admin), then scans both flags' columns once so the Database panel has rows to show at once.
import { apiFailure, type Api } from "./api";
import { say, yellow } from "./output";

/** Names the demo gives its application databases: "demo orders_app on 127.0.0.1:5499". */
export const DEMO_NAME_PREFIX = "demo ";

interface AppDatabaseSummary {
  id: number;
  environment: string;
  name: string;
}

/** The name Rampart shows: the location, in the characters a name may hold (64 at most). */
export function demoAppDatabaseName(location: string): string {
  return `${DEMO_NAME_PREFIX}${location}`.replace(/[^A-Za-z0-9 _.:-]/g, "-").slice(0, 64);
}

/**
 * The database the demo registered before under another name (another port, another URL) is
 * replaced; one someone added by hand is left as it is. `scanFlags` are scanned only when the
 * database was just connected: a rerun leaves the evidence to the hourly scan and to people.
 */
export async function connectAppDatabase(api: Api, input: { env: string; name: string; dsn: string; scanFlags: readonly string[] }): Promise<void> {
  const { env, name, dsn, scanFlags } = input;
  const listed = await api("/api/app-databases", "GET");
  if (listed.status !== 200) apiFailure("listing the application databases", listed);
  const current = (listed.body as { appDatabases: AppDatabaseSummary[] }).appDatabases.find((db) => db.environment === env);
  if (current?.name === name) {
    say(`Rampart reads the application database "${name}" in ${env}`);
    return;
  }
  if (current && !current.name.startsWith(DEMO_NAME_PREFIX)) {
    say(yellow(`${env} already has the application database "${current.name}", not the demo's; left as it is`));
    return;
  }
  if (current) {
    const removed = await api(`/api/app-databases/${current.id}`, "DELETE");
    if (removed.status !== 204) apiFailure(`removing the demo's previous application database "${current.name}"`, removed);
  }
  const added = await api(`/api/app-databases?env=${env}`, "POST", { name, kind: "postgresql", dsn });
  if (added.status !== 201) apiFailure(`connecting the application database "${name}" in ${env}`, added);
  say(`connected Rampart to the application database "${name}" in ${env} (read-only checks)`);
  for (const key of scanFlags) {
    const scan = await api(`/api/flags/${key}/database/divergence-scan?env=${env}`, "POST");
    if (scan.status !== 202 && scan.status !== 409) apiFailure(`starting the divergent-rows scan of ${key}`, scan);
  }
}
