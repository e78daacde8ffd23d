"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { NuqsAdapter } from "nuqs/adapters/next/app";
import { useState, type ReactNode } from "react";
import { ApiError } from "./api-client";

// Reads retry what may pass on a second try (an outage, a 503); a 4xx will answer the same again.
const retryTransient = (failures: number, error: unknown) => failures < 3 && (!(error instanceof ApiError) || error.transient);

export function Providers({ children }: { children: ReactNode }) {
  // One client per browser session; created in state so a re-render never drops the cache.
  const [queryClient] = useState(() => new QueryClient({ defaultOptions: { queries: { retry: retryTransient }, mutations: { retry: false } } }));
  return (
    <NuqsAdapter>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </NuqsAdapter>
  );
}
