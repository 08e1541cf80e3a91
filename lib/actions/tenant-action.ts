import * as z from "zod";
import { recordAudit } from "../audit/record-audit";
import { requireTenant, type TenantContext } from "../auth/session";
import { db, type Database } from "../db";
import { isAppError } from "../errors/app-error";
import { logger } from "../log";
import type { ActionState } from "./action-state";
import { fieldErrorsOf, formInput } from "./form-input";

/** What every handler gets besides its parsed input: who is acting, for which tenant, and how to audit it. */
export interface ActionContext extends TenantContext {
  /** The audit actor and the `actor` argument of lib functions. */
  actor: string;
  /** Records an audit entry for this tenant and user; pass the transaction when the change is in one. */
  audit(action: string, details?: Record<string, unknown>, database?: Database): Promise<void>;
}

/** Next's redirect()/notFound() throw to unwind; they must pass through, not become an error state. */
function isNavigationSignal(e: unknown): boolean {
  return typeof e === "object" && e !== null && "digest" in e && typeof e.digest === "string" && /^NEXT_/.test(e.digest);
}

async function contextOf(): Promise<ActionContext> {
  const tenant = await requireTenant();
  const actor = `user:${tenant.userId}`;
  return {
    ...tenant,
    actor,
    audit: (action, details, database = db()) => recordAudit(database, { tenantId: tenant.tenantId, actor, action, details }),
  };
}

/**
 * A server action with form state (`useActionState`): authorise → parse → handler → map errors.
 *
 * The session is checked before the input is parsed, so an anonymous caller learns nothing about the form and
 * is refused the same way whatever it sent. Invalid input comes back as per-field errors; an AppError from the
 * lib comes back as `error: { code, detail }`; anything unknown is logged and comes back as INTERNAL. The
 * handler audits through `ctx.audit` (inside its transaction where it has one).
 */
export function tenantAction<S extends z.ZodType, State extends ActionState>(
  schema: S,
  handler: (input: z.output<S>, ctx: ActionContext) => Promise<State>,
): (prev: State, input?: FormData | Record<string, unknown>) => Promise<State | ActionState> {
  return async (_prev, input) => {
    const ctx = await contextOf();
    const parsed = schema.safeParse(input instanceof FormData ? formInput(input) : (input ?? {}));
    if (!parsed.success) return { ok: false, error: { code: "INVALID_INPUT" }, fieldErrors: fieldErrorsOf(parsed.error) };
    try {
      return await handler(parsed.data, ctx);
    } catch (e) {
      if (isNavigationSignal(e)) throw e;
      if (isAppError(e) && e.code !== "INTERNAL") return { ok: false, error: { code: e.code, detail: e.detail } };
      logger().error({ tenantId: ctx.tenantId, err: e }, "server action failed");
      return { ok: false, error: { code: "INTERNAL" } };
    }
  };
}

/**
 * A plain form action (no state; the page re-renders or redirects): authorise → parse → handler. Errors are
 * not mapped: there is no form state to put them in, so they reach the error boundary — unless `invalid`
 * says where invalid input goes instead (the wizard sends the merchant back to the step with a problem).
 */
export function tenantFormAction<S extends z.ZodType>(
  schema: S,
  handler: (input: z.output<S>, ctx: ActionContext) => Promise<void>,
  options: { invalid?: (error: z.ZodError) => never } = {},
): (form?: FormData) => Promise<void> {
  return async (form) => {
    const ctx = await contextOf();
    const parsed = schema.safeParse(formInput(form));
    if (!parsed.success) {
      if (options.invalid) options.invalid(parsed.error);
      throw parsed.error;
    }
    await handler(parsed.data, ctx);
  };
}
