/** open → flag_removed (archived) → done (old column dropped everywhere): the teardown's milestones. */
export const removalTicketStatuses = ["open", "flag_removed", "done"] as const;
export type RemovalTicketStatus = (typeof removalTicketStatuses)[number];
