import type { Clock } from "../clock";
import type { Database } from "../db";
import type { Transport } from "./transport";
import type { BbClientStats } from "./types";

/** What every operation of the client needs. */
export interface OpsContext {
  call: Transport;
  clock: Clock;
  stats: BbClientStats;
  database: Database;
  tenantId: string;
  /** Wait before reading back after an uncertain write (BB may still be finishing it), clock ms. */
  readBackDelayMs: number;
  /** How often one write is attempted in total (each retry only after a read-back found nothing). */
  writeAttempts: number;
  backoffMs: number;
}

const BERLIN_DAY = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin", year: "numeric", month: "2-digit", day: "2-digit" });

/** Calendar day in Europe/Berlin for a clock instant (BB's dates carry no zone; Berlin is presumed). */
export function berlinDate(ms: number): string {
  return BERLIN_DAY.format(new Date(ms));
}
