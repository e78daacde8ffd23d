// The stale list's sorts, without database code, so the browser bundle offers the same
// orders the service applies.

export const staleSorts = ["age", "owner"] as const;
export type StaleSort = (typeof staleSorts)[number];
export const sortOrders = ["asc", "desc"] as const;
export type SortOrder = (typeof sortOrders)[number];

/** Without an order each column sorts its natural way: the oldest first, owners A to Z. */
export function defaultStaleOrder(sort: StaleSort): SortOrder {
  return sort === "age" ? "desc" : "asc";
}
