"use client";

import { useQuery } from "@tanstack/react-query";
import type { LiveStatus } from "@/lib/dashboard/live-status";

/**
 * One shared query for the bell, the dashboard and the go-live bar: every 2 s while a run is active (or the
 * caller is waiting for one to start), else every 30 s.
 */
export function useLiveStatus(initial?: LiveStatus, enabled = true, fast = false) {
  return useQuery<LiveStatus>({
    queryKey: ["live-status"],
    enabled,
    initialData: initial,
    queryFn: async () => {
      const res = await fetch("/api/status", { cache: "no-store" });
      if (!res.ok) throw new Error(`status ${res.status}`);
      return (await res.json()) as LiveStatus;
    },
    refetchInterval: (q) => (fast || q.state.data?.active ? 2_000 : 30_000),
  });
}
