import type { Database } from "../db";
import { APP_ERROR_CODES, AppError, toAppError } from "../errors/app-error";
import { logger } from "../log";
import { recordActivity } from "../activity/record-activity";
import { piiStringsOf, redactText } from "../activity/redact-pii";
import { raiseNotification } from "../notifications/raise-notification";
import { pauseTenant } from "../tenants/pause-tenant";
import { saveLink, type LinkEntity } from "./links";

export interface RecordContext {
  tenantId: string;
  runId: string | null;
  flow: "orders" | "products" | "stock";
  entity: LinkEntity;
  sourceId: string;
  /** Ticket number, SKU, … — what the merchant recognises. */
  reference: string | null;
  sourcePayload?: unknown;
  transformedPayload?: unknown;
  targetResponse?: unknown;
  startedAt: number;
  redactPii: boolean;
  /** Page the merchant should open to see the record ("/activity?q=…"). */
  link?: string;
}

export type FailureOutcome = "record" | "tenant";

function redacted(error: AppError, known: Set<string>): AppError {
  const detail = error.detail === undefined ? undefined : redactText(error.detail, known);
  const fixHint = error.fixHint === undefined ? undefined : redactText(error.fixHint, known);
  if (detail === error.detail && fixHint === error.fixHint) return error;
  return new AppError(error.code, { detail, fixHint, context: error.context, cause: error.cause, retryAfterSeconds: error.retryAfterSeconds });
}

/**
 * The one place a per-record failure is handled: a permanent problem with this record is logged, linked as
 * failed and raised in the inbox (one notification per problem, not per record) and the run goes on; a
 * tenant-fatal one pauses the tenant. Anything retryable is rethrown for the job runner to retry.
 */
export async function handleRecordFailure(database: Database, ctx: RecordContext, e: unknown): Promise<FailureOutcome> {
  const raw = toAppError(e);
  if (raw.kind === "retryable" || raw.kind === "internal") throw e;
  // What is stored and shown (link, log, inbox, digest) quotes the record; with redaction on, not its person.
  const error = ctx.redactPii ? redacted(raw, piiStringsOf(ctx.sourcePayload)) : raw;

  const spec = APP_ERROR_CODES[error.code];
  const dedupeKey = typeof error.context?.dedupeKey === "string" ? error.context.dedupeKey : `record:${ctx.entity}:${ctx.sourceId}`;
  await saveLink(database, ctx.tenantId, ctx.entity, ctx.sourceId, {
    status: "failed",
    lastError: { code: error.code, detail: error.detail ?? null, fixHint: error.fixHint ?? null, dedupeKey, at: new Date().toISOString() },
  });
  await recordActivity(
    database,
    {
      tenantId: ctx.tenantId,
      runId: ctx.runId,
      flow: ctx.flow,
      entity: ctx.entity,
      sourceId: ctx.sourceId,
      reference: ctx.reference,
      result: "failed",
      message: error.detail ?? spec.en,
      errorCode: error.code,
      sourcePayload: ctx.sourcePayload,
      transformedPayload: ctx.transformedPayload,
      targetResponse: ctx.targetResponse ?? (error.context ? { error: error.context } : null),
      durationMs: Date.now() - ctx.startedAt,
    },
    { redact: ctx.redactPii },
  );
  if (error.kind === "tenant") {
    await pauseTenant(database, ctx.tenantId, error as AppError);
    return "tenant";
  }
  await raiseNotification(database, {
    tenantId: ctx.tenantId,
    severity: "error",
    code: error.code,
    message: { code: "record_failed", params: { error: error.code, detail: error.detail, fixHint: error.fixHint } },
    link: ctx.link ?? `/activity?q=${encodeURIComponent(ctx.reference ?? ctx.sourceId)}`,
    flow: ctx.flow,
    entity: ctx.entity,
    sourceId: ctx.sourceId,
    dedupeKey,
  });
  logger().info({ tenantId: ctx.tenantId, entity: ctx.entity, sourceId: ctx.sourceId, code: error.code }, "record failed");
  return "record";
}
