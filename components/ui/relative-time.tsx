import { formatAbsolute, formatRelative } from "./format";

/**
 * The relative text is computed at render (request time on the server, each re-render in a live
 * client view, where hydration may land a minute later); the exact time is in the title.
 */
export function RelativeTime({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={formatAbsolute(iso)} className="whitespace-nowrap" suppressHydrationWarning>
      {formatRelative(iso, new Date())}
    </time>
  );
}
