"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useQueryState } from "nuqs";
import { useEffect, useRef, useState } from "react";
import { staleFlagQueries, teardownQueries } from "@/components/lifecycle/lifecycle-queries";
import { guardedRampQueries } from "@/components/flag/guarded-ramp-queries";
import { metricsQueries } from "@/components/flag/metrics-queries";
import { envSearchParams } from "@/lib/pages/search-params";
import { describeLiveChange, type LiveFlagChange } from "./flag-change-text";
import { isOwnChange } from "./own-changes";

const TOAST_MS = 10_000;
const MAX_TOASTS = 3;
/** After a refused or failed connection; a dropped stream is resumed by EventSource itself. */
const RECONNECT_MIN_MS = 1_000;
const RECONNECT_MAX_MS = 30_000;
/** Changes that land together (a kill in two tabs, a burst from a script) cost one refresh. */
const REFRESH_COALESCE_MS = 100;

interface Toast {
  id: number;
  text: string;
}

/**
 * Follows the environment's flag changes (GET /api/flag-changes) for as long as a console page
 * is open: every server-rendered card re-renders with the new state, the flag's client queries
 * refetch, and someone else's change is announced in a toast.
 */
export function LiveFlagChanges() {
  const [env] = useQueryState("env", envSearchParams.env);
  const router = useRouter();
  const queryClient = useQueryClient();
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextToastId = useRef(0);

  useEffect(() => {
    let source: EventSource | null = null;
    let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
    let refreshTimer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let stopped = false;

    const onChange = (event: MessageEvent<string>) => {
      failures = 0;
      const change = JSON.parse(event.data) as LiveFlagChange;
      clearTimeout(refreshTimer);
      refreshTimer = setTimeout(() => router.refresh(), REFRESH_COALESCE_MS);
      void queryClient.invalidateQueries({ queryKey: metricsQueries.flag(change.environment, change.key) });
      void queryClient.invalidateQueries({ queryKey: teardownQueries.flag(change.key) });
      void queryClient.invalidateQueries({ queryKey: guardedRampQueries.flag(change.key) });
      void queryClient.invalidateQueries({ queryKey: staleFlagQueries.all() });
      void isOwnChange(change.key, change.environment, change.version).then((own) => {
        if (own || stopped) return;
        const id = nextToastId.current++;
        setToasts((shown) => [...shown, { id, text: `${describeLiveChange(change)} just now` }].slice(-MAX_TOASTS));
        setTimeout(() => setToasts((shown) => shown.filter((toast) => toast.id !== id)), TOAST_MS);
      });
    };

    const connect = () => {
      // A new stream starts at the newest change, so one made after the page was rendered and
      // before the stream opened would never arrive: re-read everything once it is open.
      // EventSource's own reconnects resume by Last-Event-ID and need no catch-up.
      let caughtUp = false;
      source = new EventSource(`/api/flag-changes?env=${encodeURIComponent(env)}`);
      source.addEventListener("change", onChange);
      source.onopen = () => {
        failures = 0;
        if (caughtUp) return;
        caughtUp = true;
        router.refresh();
        void queryClient.invalidateQueries();
      };
      source.onerror = () => {
        // CONNECTING: EventSource retries by itself with Last-Event-ID. CLOSED: it gave up (a 401, a 5xx).
        if (source?.readyState !== EventSource.CLOSED || stopped) return;
        source.close();
        const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** failures++);
        reconnectTimer = setTimeout(connect, delay * (0.5 + Math.random() / 2));
      };
    };
    connect();
    return () => {
      stopped = true;
      source?.close();
      clearTimeout(reconnectTimer);
      clearTimeout(refreshTimer);
    };
  }, [env, router, queryClient]);

  const dismiss = (id: number) => setToasts((shown) => shown.filter((toast) => toast.id !== id));
  return (
    <div role="status" aria-live="polite" className="pointer-events-none fixed right-4 bottom-4 z-50 flex w-[min(24rem,calc(100vw-2rem))] flex-col gap-2">
      {toasts.map((toast) => (
        <div
          key={toast.id}
          data-testid="live-change-toast"
          className="pointer-events-auto flex items-start gap-3 rounded-lg border border-slate-300 bg-white px-4 py-3 text-sm text-slate-900 shadow-lg"
        >
          <p className="flex-1">{toast.text}</p>
          <button type="button" onClick={() => dismiss(toast.id)} aria-label="Dismiss" className="-m-1 rounded p-1 text-slate-500 hover:bg-slate-100 hover:text-slate-900">
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
