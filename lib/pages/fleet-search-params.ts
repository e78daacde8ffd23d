import { createLoader, createSerializer, parseAsStringLiteral } from "nuqs/server";
import type { FleetWindow } from "@/lib/metrics/fleet-health";
import { envSearchParams } from "./search-params";

// A record rather than an array so the compiler insists on every window the API answers.
const FLEET_WINDOW_SET: Record<FleetWindow, true> = { "15m": true, "1h": true, "24h": true };
export const FLEET_WINDOW_OPTIONS = Object.keys(FLEET_WINDOW_SET) as FleetWindow[];
export const DEFAULT_FLEET_WINDOW: FleetWindow = "1h";

/** The fleet page: the window is fetched by the client, so switching it needs no server render. */
export const fleetPageSearchParams = {
  ...envSearchParams,
  window: parseAsStringLiteral(FLEET_WINDOW_OPTIONS).withDefault(DEFAULT_FLEET_WINDOW).withOptions({ history: "push" }),
};

export const loadFleetSearchParams = createLoader(fleetPageSearchParams);
/** `fleetHref("/fleet", { env })`: defaults stay out of the URL. */
export const fleetHref = createSerializer(fleetPageSearchParams);
