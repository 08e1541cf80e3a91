import * as z from "zod";
import { recordAudit } from "../audit/record-audit";
import { requireTenant, type TenantContext } from "../auth/session";
import { db, type Database } from "../db";
import { AppError, isAppError } from "../errors/app-error";
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

/** How an action may be used beyond the default (admins only). */
export interface ActionAccess {
  /**
   * The action changes nothing a viewer may not change (say, their own display preferences), so viewers may
   * call it too. Every action is admin-only unless it says so here: a forgotten mark refuses, it never grants.
   */
  readOnlySafe?: boolean;
}

async function contextOf(access: ActionAccess): Promise<ActionContext> {
  const tenant = await requireTenant();
  // Refused before the input is parsed, like a missing session: a viewer learns nothing about the form either.
  if (tenant.role !== "admin" && !access.readOnlySafe) {
    throw new AppError("FORBIDDEN", { detail: "viewers may not change anything", fixHint: "Ask an administrator or manager of your Lightspeed account." });
  }
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
 * Only admins may call it unless `access.readOnlySafe` (others: FORBIDDEN, thrown like UNAUTHENTICATED, since a
 * viewer's page offers no control that calls it). The session is checked before the input is parsed, so an anonymous caller learns nothing about the form and
 * is refused the same way whatever it sent. Invalid input comes back as per-field errors; an AppError from the
 * lib comes back as `error: { code, detail }`; anything unknown is logged and comes back as INTERNAL. The
 * handler audits through `ctx.audit` (inside its transaction where it has one).
 */
export function tenantAction<S extends z.ZodType, State extends ActionState>(
  schema: S,
  handler: (input: z.output<S>, ctx: ActionContext) => Promise<State>,
  access: ActionAccess = {},
): (prev: State, input?: FormData | Record<string, unknown>) => Promise<State | ActionState> {
  return async (_prev, input) => {
    const ctx = await contextOf(access);
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
  options: { invalid?: (error: z.ZodError) => never } & ActionAccess = {},
): (form?: FormData) => Promise<void> {
  return async (form) => {
    const ctx = await contextOf(options);
    const parsed = schema.safeParse(formInput(form));
    if (!parsed.success) {
      if (options.invalid) options.invalid(parsed.error);
      throw parsed.error;
    }
    await handler(parsed.data, ctx);
  };
}
