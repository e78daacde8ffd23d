// The removal ticket's defaults, without database code, so the browser bundle can show the
// same numbers the services apply.

export const DEFAULT_LEGACY_ZERO_DAYS = 7;
export const DEFAULT_QUIET_HOURS = 24;
export const DEFAULT_DUE_DAYS = 90;
/** A served value left constant this long makes a flag stale, unless its ticket says otherwise. */
export const DEFAULT_STALE_AFTER_DAYS = 14;
