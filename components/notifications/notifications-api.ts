import type { z } from "zod";
import { apiFetch, type ApiError } from "@/components/shell/api-client";
import type { EnvironmentOption } from "@/components/shell/environment-switcher";
import type { DeliveryView } from "@/lib/notifications/delivery-log";
import type { DestinationView } from "@/lib/notifications/destinations";
import type { addDestinationSchema, UpdateDestinationInput } from "@/lib/notifications/schemas";

export type NewDestination = z.input<typeof addDestinationSchema>;
export type DestinationPatch = UpdateDestinationInput & { id: number };
/** A webhook's signing secret is in the create (or rotate) answer only. */
export type DestinationWithSecret = DestinationView & { signingSecret?: string };

const destinationPath = (id: number) => `/api/notifications/destinations/${id}`;

export const notificationsApi = {
  destinations: async () => (await apiFetch<{ destinations: DestinationView[] }>("/api/notifications/destinations")).destinations,
  add: (input: NewDestination) => apiFetch<DestinationWithSecret>("/api/notifications/destinations", { method: "POST", body: input }),
  update: ({ id, ...patch }: DestinationPatch) => apiFetch<DestinationWithSecret>(destinationPath(id), { method: "PATCH", body: patch }),
  remove: (id: number) => apiFetch<null>(destinationPath(id), { method: "DELETE" }),
  sendTest: (id: number) => apiFetch<DeliveryView>(`${destinationPath(id)}/test`, { method: "POST" }),
  deliveries: async (id: number) => (await apiFetch<{ deliveries: DeliveryView[] }>(`${destinationPath(id)}/deliveries`)).deliveries,
  redeliver: (deliveryId: number) => apiFetch<DeliveryView>(`/api/notifications/deliveries/${deliveryId}/redeliver`, { method: "POST" }),
  environments: async () => (await apiFetch<{ environments: EnvironmentOption[] }>("/api/environments")).environments,
};

/** The API's message for one field, nested paths included: `environments.1` is shown at the environments field. */
export function fieldMessageUnder(error: ApiError | null, path: string): string | undefined {
  return error?.details.find((detail) => detail.path === path || detail.path.startsWith(`${path}.`))?.message;
}

/** The detail paths a form already shows at its fields, so the banner leaves them out. */
export function pathsShownUnder(error: ApiError, fieldPaths: string[]): string[] {
  return error.details.map((d) => d.path).filter((path) => fieldPaths.some((field) => path === field || path.startsWith(`${field}.`)));
}
