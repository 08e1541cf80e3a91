import { NextResponse } from "next/server";
import * as z from "zod";
import { AppError, toAppError, toUserFacing, type Locale } from "./app-error";
import { logger } from "../log";

/** Zod failures at a boundary are the caller's fault: one INVALID_INPUT with the field paths. */
export function fromZodError(err: z.ZodError): AppError {
  const detail = err.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; ");
  return new AppError("INVALID_INPUT", { detail, context: { issues: err.issues } });
}

/** The single exit point from route handlers: maps any error to a JSON response once, logs unknown ones in full. */
export function errorResponse(e: unknown, locale: Locale = "de"): NextResponse {
  const err = e instanceof z.ZodError ? fromZodError(e) : toAppError(e);
  if (err.code === "INTERNAL") logger().error({ err: err.cause ?? err }, "unhandled error");
  else logger().warn({ code: err.code, detail: err.detail }, "request failed");
  const headers: Record<string, string> = {};
  if (err.retryAfterSeconds !== undefined) headers["Retry-After"] = String(Math.ceil(err.retryAfterSeconds));
  return NextResponse.json({ error: toUserFacing(err, locale) }, { status: err.status, headers });
}
