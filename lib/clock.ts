/**
 * Time as a dependency. Production uses the system clock; tests and benchmarks run the sandboxes and the
 * clients on a scaled clock (×50: one real second is fifty API seconds), so rate limits, token lifetimes and
 * backoffs keep their ratios while the run takes a fiftieth of the time.
 */
export interface Clock {
  /** Milliseconds since the epoch, in the clock's own time. */
  now(): number;
  /** Waits `ms` of the clock's own time. */
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/**
 * A clock that runs `factor` times faster than real time: at real time `realStart` it reads `origin`. Two
 * processes given the same three numbers share one clock (a test and the worker it kills and restarts).
 */
export function scaledClock(factor: number, origin = Date.now(), realStart = Date.now()): Clock {
  if (!(factor > 0)) throw new RangeError(`clock speed must be positive, got ${factor}`);
  return {
    now: () => origin + (Date.now() - realStart) * factor,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms / factor))),
  };
}
