import { apiRoute, json } from "@/lib/http/api-route";

export const GET = apiRoute({ role: "viewer" }, async ({ ctx }) => {
  const { kind, name, role, environment } = ctx.actor;
  return json({ kind, name, role, environment });
});
