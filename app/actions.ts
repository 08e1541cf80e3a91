"use server";

import * as z from "zod";
import { ORDERS_SYNC_EVENT } from "@/inngest/events";
import { PRODUCTS_SYNC_EVENT } from "@/inngest/functions/products-sync";
import { STOCK_SYNC_EVENT } from "@/inngest/functions/stock-sync";
import { jobs } from "@/inngest/jobs";
import type { ActionState } from "@/lib/actions/action-state";
import { tenantAction } from "@/lib/actions/tenant-action";
import { signOut } from "@/lib/auth";

/** Ends the database session (server-side) and clears the cookie. */
export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/" });
}


const SYNC_EVENTS = { orders: ORDERS_SYNC_EVENT, products: PRODUCTS_SYNC_EVENT, stock: STOCK_SYNC_EVENT } as const;

const syncNow = tenantAction(z.object({ flow: z.enum(["orders", "products", "stock"]) }), async ({ flow }, ctx): Promise<ActionState> => {
  await jobs.send({ name: SYNC_EVENTS[flow], data: { tenantId: ctx.tenantId, kind: "manual" } });
  return { ok: true };
});

/** "Sync now" for one flow of the signed-in tenant. */
export async function syncNowAction(flow: string): Promise<ActionState> {
  return syncNow({ ok: false }, { flow });
}
