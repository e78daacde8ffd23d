import { formatAbsolute, formatRelative } from "./format";

/** Server-rendered only: the relative text is computed at request time, the exact time is in the title. */
export function RelativeTime({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={formatAbsolute(iso)} className="whitespace-nowrap">
      {formatRelative(iso, new Date())}
    </time>
  );
}
