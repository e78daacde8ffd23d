// The removal ticket's defaults and the stale list's sorts, without database code, so the
// browser bundle can show the same numbers and orders the services apply.

export const DEFAULT_LEGACY_ZERO_DAYS = 7;
export const DEFAULT_QUIET_HOURS = 24;
export const DEFAULT_DUE_DAYS = 90;
/** A served value left constant this long makes a flag stale, unless its ticket says otherwise. */
export const DEFAULT_STALE_AFTER_DAYS = 14;

export const staleSorts = ["age", "owner"] as const;
export type StaleSort = (typeof staleSorts)[number];
export const sortOrders = ["asc", "desc"] as const;
export type SortOrder = (typeof sortOrders)[number];

/** Without an order each column sorts its natural way: the oldest first, owners A to Z. */
export function defaultStaleOrder(sort: StaleSort): SortOrder {
  return sort === "age" ? "desc" : "asc";
}
