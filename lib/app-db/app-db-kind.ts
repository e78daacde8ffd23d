/** The application databases Rampart reads: PostgreSQL 11+, and MySQL 8 or MariaDB through one driver. */
export const appDbKinds = ["postgresql", "mysql"] as const;
export type AppDbKind = (typeof appDbKinds)[number];

export const DSN_SCHEMES: Record<AppDbKind, readonly string[]> = {
  postgresql: ["postgres:", "postgresql:"],
  mysql: ["mysql:", "mariadb:"],
};

/** What a connection's last test or check found. */
export const appDbHealths = ["unknown", "ok", "unavailable"] as const;
export type AppDbHealth = (typeof appDbHealths)[number];
