import { describe, expect, it, vi } from "vitest";
import * as z from "zod";
import { AppError } from "../errors/app-error";
import type { ActionState } from "./action-state";
import { tenantAction, tenantFormAction } from "./tenant-action";

let signedIn = true;
let role: "admin" | "viewer" = "admin";
vi.mock("../auth/session", () => ({
  requireTenant: async () => {
    if (!signedIn) throw new AppError("UNAUTHENTICATED");
    return { tenantId: "t-1", userId: "u-1", tenantName: "T", tenantStatus: "active", role };
  },
}));

const schema = z.object({ n: z.coerce.number().int().min(1) });

describe("roles", () => {
  it("refuses a viewer every action before looking at the input, unless the action is marked read-only-safe", async () => {
    role = "viewer";
    try {
      const handler = vi.fn(async (): Promise<ActionState> => ({ ok: true }));
      const formHandler = vi.fn(async () => undefined);
      await expect(tenantAction(schema, handler)({ ok: false }, { n: "1" })).rejects.toMatchObject({ code: "FORBIDDEN", status: 403 });
      await expect(tenantFormAction(schema, formHandler)(new FormData())).rejects.toMatchObject({ code: "FORBIDDEN" });
      expect(handler).not.toHaveBeenCalled();
      expect(formHandler).not.toHaveBeenCalled();
      expect(await tenantAction(schema, handler, { readOnlySafe: true })({ ok: false }, { n: "1" })).toEqual({ ok: true });
      const form = new FormData();
      form.set("n", "2");
      await tenantFormAction(schema, formHandler, { readOnlySafe: true })(form);
      expect(formHandler).toHaveBeenCalledTimes(1);
    } finally {
      role = "admin";
    }
  });
});

describe("tenantAction", () => {
  it("refuses without a session before looking at the input", async () => {
    signedIn = false;
    const handler = vi.fn(async (): Promise<ActionState> => ({ ok: true }));
    await expect(tenantAction(schema, handler)({ ok: false }, { n: "nonsense" })).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    expect(handler).not.toHaveBeenCalled();
    signedIn = true;
  });

  it("hands the handler parsed input and who is acting", async () => {
    const action = tenantAction(schema, async (v, ctx): Promise<ActionState & { actor?: string; tenant?: string }> => ({ ok: true, savedAt: v.n, actor: ctx.actor, tenant: ctx.tenantId }));
    const form = new FormData();
    form.set("n", "3");
    expect(await action({ ok: false }, form)).toEqual({ ok: true, savedAt: 3, actor: "user:u-1", tenant: "t-1" });
  });

  it("maps invalid input to field errors, AppErrors to their code, anything else to INTERNAL", async () => {
    expect(await tenantAction(schema, async (): Promise<ActionState> => ({ ok: true }))({ ok: false }, { n: "0" })).toEqual({ ok: false, error: { code: "INVALID_INPUT" }, fieldErrors: { n: { code: "range", min: 1 } } });
    const refused = tenantAction(schema, async (): Promise<ActionState> => {
      throw new AppError("CONFLICT", { detail: "changed meanwhile" });
    });
    expect(await refused({ ok: false }, { n: "1" })).toEqual({ ok: false, error: { code: "CONFLICT", detail: "changed meanwhile" } });
    const broken = tenantAction(schema, async (): Promise<ActionState> => {
      throw new TypeError("secret internals");
    });
    expect(await broken({ ok: false }, { n: "1" })).toEqual({ ok: false, error: { code: "INTERNAL" } });
  });

  it("lets Next's redirect through", async () => {
    const redirect = Object.assign(new Error("NEXT_REDIRECT"), { digest: "NEXT_REDIRECT;replace;/setup?step=6;307;" });
    const action = tenantAction(schema, async (): Promise<ActionState> => {
      throw redirect;
    });
    await expect(action({ ok: false }, { n: "1" })).rejects.toBe(redirect);
  });
});

describe("tenantFormAction", () => {
  it("sends invalid input where the caller says, else throws it", async () => {
    const sentBack = new Error("back to the step");
    const guarded = tenantFormAction(schema, async () => {}, {
      invalid: () => {
        throw sentBack;
      },
    });
    await expect(guarded(new FormData())).rejects.toBe(sentBack);
    await expect(tenantFormAction(schema, async () => {})(new FormData())).rejects.toBeInstanceOf(z.ZodError);
  });
});
