import { NonRetriableError, RetryAfterError } from "inngest";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { toJobError } from "@/inngest/errors";
import { AppError, toUserFacing } from "./app-error";
import { errorResponse } from "./http";

describe("error taxonomy", () => {
  it("maps each kind to a status once", async () => {
    const res = errorResponse(new AppError("MAPPING_MISSING", { detail: "payment type Klarna", fixHint: "Map it under Mappings → Payment types" }), "en");
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({
      error: { code: "MAPPING_MISSING", message: "A mapping is missing, so this record could not be booked.", detail: "payment type Klarna", fixHint: "Map it under Mappings → Payment types" },
    });
  });

  it("never leaks an unknown error to the user", async () => {
    const res = errorResponse(new Error("password=hunter2 at db.internal"), "de");
    expect(res.status).toBe(500);
    const body = await res.json();
    expect(JSON.stringify(body)).not.toContain("hunter2");
    expect(body.error.code).toBe("INTERNAL");
    expect(toUserFacing(new TypeError("x"), "en").detail).toBeUndefined();
  });

  it("turns zod failures into INVALID_INPUT with field paths", async () => {
    const parsed = z.object({ days: z.number() }).safeParse({ days: "x" });
    const res = errorResponse(parsed.error, "en");
    expect(res.status).toBe(422);
    expect((await res.json()).error.detail).toMatch(/^days: /);
  });

  it("sets Retry-After for throttling", () => {
    const res = errorResponse(new AppError("RATE_LIMITED", { retryAfterSeconds: 4.2 }));
    expect(res.headers.get("Retry-After")).toBe("5");
  });

  it("maps to Inngest retry semantics", () => {
    expect(toJobError(new AppError("UPSTREAM_UNAVAILABLE"))).toBeInstanceOf(AppError);
    expect(toJobError(new AppError("RATE_LIMITED", { retryAfterSeconds: 3 }))).toBeInstanceOf(RetryAfterError);
    expect(toJobError(new AppError("RECORD_INVALID"))).toBeInstanceOf(NonRetriableError);
    expect(toJobError(new AppError("LS_AUTH_REVOKED"))).toBeInstanceOf(NonRetriableError);
    const unknown = new Error("socket hang up");
    expect(toJobError(unknown)).toBe(unknown);
  });
});
