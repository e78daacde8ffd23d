/** Where a change came from, by how the caller authenticated. */
export const auditSources = ["ui", "api", "controller"] as const;
export type AuditSource = (typeof auditSources)[number];
