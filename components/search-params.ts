import { createLoader, createSerializer, parseAsString } from "nuqs/server";

// nuqs/server carries no "use client", so these parsers are shared by pages and client hooks.

export const DEFAULT_ENV = "production";

/** The selected environment; changing it re-renders the server components that read it. */
export const envSearchParams = {
  env: parseAsString.withDefault(DEFAULT_ENV).withOptions({ shallow: false, history: "push" }),
};

export const auditSearchParams = {
  ...envSearchParams,
  flag: parseAsString,
  cursor: parseAsString,
};

export const loadEnvSearchParams = createLoader(envSearchParams);
export const loadAuditSearchParams = createLoader(auditSearchParams);

/** `withEnv("/stale", { env })`: a link that keeps the environment; the default one stays out of the URL. */
export const withEnv = createSerializer(envSearchParams);
export const auditHref = createSerializer(auditSearchParams);
