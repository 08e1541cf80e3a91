import type { Database } from "../db";
import { toAppError } from "../errors/app-error";
import { logger } from "../log";
import { raiseNotification } from "../notifications/raise-notification";
import { pauseTenant } from "../tenants/pause-tenant";
import { finishRun } from "./runs";

/**
 * A job run gave up after its retries (Inngest onFailure): close the run as failed and tell the merchant once —
 * a tenant-fatal cause pauses the tenant, anything else is one inbox item per flow until a run succeeds.
 */
export async function recordJobFailure(database: Database, input: { tenantId: string; flow: "orders" | "products" | "stock"; runId: string | null; error: unknown }): Promise<void> {
  const original = input.error instanceof Error && input.error.cause !== undefined ? input.error.cause : input.error;
  const err = toAppError(original);
  logger().error({ tenantId: input.tenantId, flow: input.flow, err: original }, "sync run failed after retries");
  if (input.runId) await finishRun(database, input.runId, "failed", { code: err.code, detail: err.detail ?? null });
  if (err.kind === "tenant") {
    await pauseTenant(database, input.tenantId, err);
    return;
  }
  await raiseNotification(database, {
    tenantId: input.tenantId,
    severity: "error",
    code: err.code,
    message: { code: "job_failed", params: { flow: input.flow, error: err.code, detail: err.detail, fixHint: err.fixHint } },
    link: "/activity",
    flow: input.flow,
    dedupeKey: `job:${input.flow}`,
  });
}
