"use server";

import * as z from "zod";
import { jobs } from "@/inngest/jobs";
import { requireTenant } from "@/lib/auth/session";
import { signOut } from "@/lib/auth";
import { requestSync } from "@/lib/sync/request-sync";

/** Ends the database session (server-side) and clears the cookie. */
export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/" });
}


/** "Sync now" for one flow of the signed-in tenant. */
export async function syncNowAction(flow: string): Promise<{ ok: boolean }> {
  const parsed = z.enum(["orders", "products", "stock"]).safeParse(flow);
  if (!parsed.success) return { ok: false };
  const ctx = await requireTenant();
  await requestSync(jobs, ctx.tenantId, { flow: parsed.data, kind: "manual" });
  return { ok: true };
}
