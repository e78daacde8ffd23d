// What a service does with the installed package, run once through `import` (service.mjs) and
// once through `require` (service.cjs): connect, evaluate, see a kill arrive over the stream,
// gate calls, and find them on the dashboard. Prints what it saw as one JSON line.
"use strict";

const user = { user_id: "user-1" };

async function runService({ createClient, RampartProvider, OpenFeature }) {
  const { RAMPART_URL: url, RAMPART_SDK_KEY: sdkKey, RAMPART_ADMIN_TOKEN: adminToken, RAMPART_FLAG: flag } = process.env;
  const api = (path, init = {}) =>
    fetch(new URL(path, url), { ...init, headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" } });
  const seen = {};

  const rampart = createClient({ url, sdkKey, flushIntervalMs: 200 });
  try {
    seen.ready = await rampart.ready({ timeoutMs: 10_000 });
    // The snapshot makes it ready; the stream that will carry the kill opens right after.
    seen.streaming = (await waitFor(() => rampart.status().connected, 10_000)) !== null;
    seen.enabledBefore = rampart.enabled(flag, user);
    seen.gatedBefore = await rampart.gate(flag, user, { newPath: async () => "new", legacyPath: async () => "legacy" });

    // The provider from the second entry point takes the client made by the first as its own.
    const provider = new RampartProvider(rampart);
    seen.providerSharesClient = provider.client === rampart;
    await OpenFeature.setProviderAndWait(provider);
    seen.openFeatureBefore = await OpenFeature.getClient().getBooleanValue(flag, false, { targetingKey: "user-1" });

    const kill = await api(`/api/flags/${flag}/kill?env=production`, { method: "POST", body: JSON.stringify({ reason: "packed-tarball test" }) });
    seen.killStatus = kill.status;
    seen.killSeenAfterMs = await waitFor(() => rampart.flag(flag)?.killed === true, 10_000);
    seen.enabledAfter = rampart.enabled(flag, user);
    seen.gatedAfter = rampart.gate(flag, user, { newPath: () => "new", legacyPath: () => "legacy" });
    seen.openFeatureAfter = await OpenFeature.getClient().getBooleanValue(flag, true, { targetingKey: "user-1" });
    await OpenFeature.close();
  } finally {
    // Sends the last metrics window; leaves nothing that keeps the process alive.
    await rampart.close();
  }

  let totals;
  await waitFor(async () => {
    const response = await api(`/api/flags/${flag}/metrics?env=production&window=15m`);
    totals = (await response.json()).totals;
    return totals?.new.requests >= 1 && totals?.legacy.requests >= 1;
  }, 10_000);
  seen.dashboard = { newRequests: totals?.new.requests, legacyRequests: totals?.legacy.requests };
  console.log(JSON.stringify(seen));
}

async function waitFor(condition, timeoutMs) {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) return null;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - started;
}

module.exports = { runService };
