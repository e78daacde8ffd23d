/** Who may do what, least first: viewers read, operators ramp and kill, admins manage. */
export const roles = ["viewer", "operator", "admin"] as const;
export type Role = (typeof roles)[number];
