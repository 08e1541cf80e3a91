import type { Clock } from "@/lib/clock";

/** A clock that only moves when told to (or when something sleeps on it): exact time control in tests. */
export interface ManualClock extends Clock {
  advance(ms: number): void;
  set(ms: number): void;
}

export function manualClock(start = Date.UTC(2026, 2, 14, 12, 0, 0)): ManualClock {
  let t = start;
  return {
    now: () => t,
    sleep: async (ms) => {
      t += Math.max(0, ms);
      await Promise.resolve();
    },
    advance: (ms) => {
      t += ms;
    },
    set: (ms) => {
      t = ms;
    },
  };
}
