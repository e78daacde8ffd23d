export function KilledBadge() {
  return (
    <span
      data-testid="killed-badge"
      className="inline-flex items-center rounded bg-red-600 px-2 py-0.5 text-xs font-bold tracking-wide text-white uppercase"
    >
      Killed
    </span>
  );
}
