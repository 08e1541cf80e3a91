/**
 * Runtime fault injection. Rates are probabilities per API call (after authentication and the rate limit).
 * "After commit" faults apply the write first and then fail the answer, which is what makes a blind retry
 * create a duplicate: the point of the exactly-once tests.
 */
export interface FaultConfig {
  /** HTTP 500 / error 0. */
  error500Rate: number;
  /** Share of those 500s that happen after the write was applied. */
  error500AfterCommitShare: number;
  /** The write is applied, the client gets 504 / error 30. */
  timeout504AfterCommitRate: number;
  /**
   * Commit after the client gave up: the client gets 504 / error 30 at once and the write is applied only
   * `lateCommitMs` (sandbox clock) later, as when BB's gateway times out while its backend is still queued.
   * With a delay longer than the client's read-back wait, a read-back finds nothing and a retry writes a second
   * copy: the duplicate the sync has to find and repair.
   */
  lateCommitRate: number;
  lateCommitMs: number;
  /** The connection is closed without an answer. */
  dropRate: number;
  /** Dropped connections happen after the write was applied. */
  dropAfterCommit: boolean;
  /** Slow answers: probability and delay in sandbox-clock ms. */
  slowRate: number;
  slowMs: number;
  /** Only calls whose path starts with one of these (e.g. "receipts/add"); null = every call. */
  paths: string[] | null;
  /** Inject at most this many faults (then behave), for deterministic tests; null = no limit. */
  limit: number | null;
}

export const NO_FAULTS: FaultConfig = {
  error500Rate: 0,
  error500AfterCommitShare: 0.5,
  timeout504AfterCommitRate: 0,
  lateCommitRate: 0,
  lateCommitMs: 30_000,
  dropRate: 0,
  dropAfterCommit: true,
  slowRate: 0,
  slowMs: 0,
  paths: null,
  limit: null,
};

export type FaultDecision = { kind: "none" } | { kind: "500"; afterCommit: boolean } | { kind: "504" } | { kind: "late" } | { kind: "drop"; afterCommit: boolean };

/** mulberry32: small, seedable, good enough for fault dice. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function decideFault(config: FaultConfig, path: string, random: () => number): { fault: FaultDecision; slow: boolean } {
  if (config.paths && !config.paths.some((p) => path.startsWith(p))) return { fault: { kind: "none" }, slow: false };
  if (config.limit !== null && config.limit <= 0) return { fault: { kind: "none" }, slow: false };
  const slow = config.slowRate > 0 && random() < config.slowRate;
  const r = random();
  let edge = config.dropRate;
  if (r < edge) return { fault: { kind: "drop", afterCommit: config.dropAfterCommit }, slow };
  edge += config.error500Rate;
  if (r < edge) return { fault: { kind: "500", afterCommit: random() < config.error500AfterCommitShare }, slow };
  edge += config.timeout504AfterCommitRate;
  if (r < edge) return { fault: { kind: "504" }, slow };
  edge += config.lateCommitRate;
  if (r < edge) return { fault: { kind: "late" }, slow };
  return { fault: { kind: "none" }, slow };
}
