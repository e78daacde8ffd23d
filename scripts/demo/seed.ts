// Seeds the demo through the API with the admin token: two more people, the seeds' two flags, and
// production's application database (the orders service's own).
// Everything is idempotent (409 = already there); a flag's state is only set when it was just
// created, so a rerun never undoes what someone did on the dashboard.
import { apiFailure, type Api } from "./api";
import { connectAppDatabase } from "./connect-app-database";
import { TEST_TENANT } from "./orders-service";
import { say } from "./output";

export const DEMO_PASSWORD = "rampart-demo";
/** The first-run admin token the demo registers (RAMPART_INIT_ADMIN_TOKEN) and seeds with. */
export const DEMO_ADMIN_TOKEN = "rpt_demo-admin-token-0001";

export const DEMO_USERS = [
  { email: "admin@rampart.local", role: "admin", name: "Admin" },
  { email: "oncall@rampart.local", role: "operator", name: "On-call" },
  { email: "manager@rampart.local", role: "viewer", name: "Manager" },
] as const;

interface DemoFlag {
  create: {
    key: string;
    owner: string;
    description: string;
    removalTicket: { contraction: { table: string; oldColumn: string; newColumn: string; newIndex?: string } };
  };
  /** Sent before `production`, as the seed orders it: force the flag on for the test tenant, then ramp. */
  testTenantFirst?: boolean;
  production: Record<string, unknown>;
}

const DEMO_FLAGS: DemoFlag[] = [
  {
    create: {
      key: "schema_v2",
      owner: "orders-team",
      description: "Reads and writes orders.order_status (was orders.status)",
      removalTicket: { contraction: { table: "orders", oldColumn: "status", newColumn: "order_status", newIndex: "idx_orders_order_status" } },
    },
    testTenantFirst: true,
    production: { percentage: 5, rollout: { by: "user_id" }, contexts: { batch_processor: false }, reason: "demo: start the ramp" },
  },
  {
    create: {
      key: "enable_orders_v2_total",
      owner: "payments-team",
      description: "Reads and writes orders.new_total (was orders.legacy_total)",
      removalTicket: { contraction: { table: "orders", oldColumn: "legacy_total", newColumn: "new_total" } },
    },
    // Fully ramped and left there: the "awaiting teardown" example.
    production: { default: true, percentage: 100, rollout: { by: "user_id" }, reason: "demo: fully ramped, awaiting teardown" },
  },
];

/** The environment the orders service's SDK key belongs to, and whose application database it writes. */
export const DEMO_ENVIRONMENT = "production";

export async function seedDemo(api: Api, appDatabase: { name: string; dsn: string }): Promise<void> {
  // The admin is the first-run admin (RAMPART_ADMIN_EMAIL / RAMPART_ADMIN_PASSWORD on a fresh data dir).
  for (const user of DEMO_USERS.filter((u) => u.role !== "admin")) {
    const result = await api("/api/users", "POST", { ...user, password: DEMO_PASSWORD });
    if (result.status === 201) say(`created ${user.role} ${user.email}`);
    else if (result.status !== 409) apiFailure(`creating ${user.email}`, result);
  }

  for (const flag of DEMO_FLAGS) {
    const { key } = flag.create;
    const created = await api("/api/flags", "POST", flag.create);
    if (created.status === 409) {
      say(`flag ${key} exists already; its state is left as it is`);
      continue;
    }
    if (created.status !== 201) apiFailure(`creating flag ${key}`, created);
    if (flag.testTenantFirst) await forceOnForTestTenant(api, key);
    const patched = await api(`/api/flags/${key}?env=production`, "PATCH", flag.production);
    if (patched.status !== 200) apiFailure(`setting ${key} in production`, patched);
    say(`created flag ${key} (production: ${flag.production.percentage}%)`);
  }

  await connectAppDatabase(api, { env: DEMO_ENVIRONMENT, ...appDatabase, scanFlags: DEMO_FLAGS.map((flag) => flag.create.key) });
}

/** The seed's step 2: at 0%, the test tenant alone takes the new path, so both columns receive its writes. */
async function forceOnForTestTenant(api: Api, key: string): Promise<void> {
  const body = {
    targets: [{ attribute: TEST_TENANT.attribute, value: true, values: [TEST_TENANT.value] }],
    reason: "demo: force the new path on for the test tenant; confirm both columns receive its writes before the ramp",
  };
  const patched = await api(`/api/flags/${key}?env=production`, "PATCH", body);
  if (patched.status !== 200) apiFailure(`forcing ${key} on for ${TEST_TENANT.attribute} ${TEST_TENANT.value} in production`, patched);
  say(`forced ${key} on for the test tenant (${TEST_TENANT.attribute} ${TEST_TENANT.value}) in production`);
}
