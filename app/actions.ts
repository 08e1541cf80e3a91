"use server";

import * as z from "zod";
import { jobs } from "@/inngest/jobs";
import type { ActionState } from "@/lib/actions/action-state";
import { tenantAction } from "@/lib/actions/tenant-action";
import { signOut } from "@/lib/auth";
import { requestSync } from "@/lib/sync/request-sync";

/** Ends the database session (server-side) and clears the cookie. */
export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/" });
}


const syncNow = tenantAction(z.object({ flow: z.enum(["orders", "products", "stock"]) }), async ({ flow }, ctx): Promise<ActionState> => {
  await requestSync(jobs, ctx.tenantId, { flow, kind: "manual" });
  return { ok: true };
});

/** "Sync now" for one flow of the signed-in tenant. */
export async function syncNowAction(flow: string): Promise<ActionState> {
  return syncNow({ ok: false }, { flow });
}
