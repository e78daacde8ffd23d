import type { AppDbHealth } from "@/lib/app-db/app-db-kind";

const HEALTH: Record<AppDbHealth, { label: string; className: string }> = {
  ok: { label: "answering", className: "bg-emerald-100 text-emerald-800" },
  unavailable: { label: "unavailable", className: "bg-amber-100 text-amber-900" },
  unknown: { label: "not checked yet", className: "bg-slate-200 text-slate-700" },
};

/** Whether the database answered its last test or check, in words as well as colour. */
export function AppDatabaseHealth({ health }: { health: AppDbHealth }) {
  const { label, className } = HEALTH[health];
  return <span data-testid="app-database-health" data-health={health} className={`rounded px-1.5 py-0.5 text-xs font-semibold whitespace-nowrap ${className}`}>{label}</span>;
}
