import type { Database } from "../../db";
import { readCursor, writeCursor } from "../cursors";
import { repairDuplicates, type DuplicateRepair, type RepairContext } from "./repair-duplicates";

/**
 * How long after a lost answer BB may still commit the write (flow clock). A gateway timeout can leave the request
 * queued behind BB's backend for a while; the day is re-checked at the end of every step until this has passed,
 * so a copy that lands after the run closed is still found by the next run.
 */
export const LATE_COMMIT_WATCH_MS = 15 * 60_000;

const WATCH = "orders:late-commits";

/**
 * Puts business days on the watch list: a write of theirs lost its answer and was sent again (or given up), so
 * BB may commit the lost one later. Called whether the step succeeded or not: a failed step's retry re-writes the
 * same sales without losing an answer itself and would never look.
 */
export async function watchForLateCommits(database: Database, tenantId: string, dates: string[], now: number): Promise<void> {
  if (!dates.length) return;
  const days = new Map(((await readCursor(database, tenantId, WATCH))?.days ?? []).map((d) => [d.date, d.until]));
  for (const date of dates) days.set(date, Math.max(days.get(date) ?? 0, now + LATE_COMMIT_WATCH_MS));
  await writeCursor(database, tenantId, WATCH, { days: [...days].map(([date, until]) => ({ date, until })).sort((a, b) => a.date.localeCompare(b.date)) });
}

/**
 * Repairs copies on the watched days (see repair-duplicates.ts) and drops the days whose watch has ended: they
 * were checked once more after it. Nothing to watch costs nothing (an idle poll makes no BB call).
 */
export async function repairLateCommits(ctx: RepairContext, now: number): Promise<DuplicateRepair[]> {
  const watched = (await readCursor(ctx.database, ctx.tenantId, WATCH))?.days ?? [];
  if (!watched.length) return [];
  const repairs = await repairDuplicates(
    ctx,
    watched.map((d) => d.date),
  );
  await writeCursor(ctx.database, ctx.tenantId, WATCH, { days: watched.filter((d) => d.until > now) });
  return repairs;
}
