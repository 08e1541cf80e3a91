"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { TENANT_UNINSTALLED_EVENT } from "@/inngest/events";
import { jobs } from "@/inngest/jobs";
import { requireTenant } from "@/lib/auth/session";
import { signOut } from "@/lib/auth";
import {
  bbConnectInputSchema,
  connectBuchhaltungsbutler,
  disconnectBuchhaltungsbutler,
  testBuchhaltungsbutlerConnection,
} from "@/lib/connections/connect-buchhaltungsbutler";
import { db } from "@/lib/db";
import { uninstallTenant } from "@/lib/tenants/uninstall-tenant";

export interface BbActionState {
  ok: boolean;
  errorCode?: string;
  fieldErrors?: Record<string, string>;
}

export async function connectBbAction(_prev: BbActionState, form: FormData): Promise<BbActionState> {
  const ctx = await requireTenant();
  const parsed = bbConnectInputSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    return { ok: false, fieldErrors: Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0] ?? "form"), i.message])) };
  }
  const result = await connectBuchhaltungsbutler(db(), ctx.tenantId, parsed.data, `user:${ctx.userId}`);
  revalidatePath("/setup");
  return result.saved ? { ok: true } : { ok: false, errorCode: result.error?.code ?? "other" };
}

export async function testBbAction(): Promise<BbActionState> {
  const ctx = await requireTenant();
  const result = await testBuchhaltungsbutlerConnection(db(), ctx.tenantId);
  revalidatePath("/setup");
  return result.error ? { ok: false, errorCode: result.error.code } : { ok: true };
}

export async function disconnectBbAction(): Promise<void> {
  const ctx = await requireTenant();
  await disconnectBuchhaltungsbutler(db(), ctx.tenantId, `user:${ctx.userId}`);
  revalidatePath("/setup");
}

export async function uninstallAction(): Promise<void> {
  const ctx = await requireTenant();
  await uninstallTenant(db(), ctx.tenantId, `user:${ctx.userId}`);
  await jobs.send({ name: TENANT_UNINSTALLED_EVENT, data: { tenantId: ctx.tenantId } });
  await signOut({ redirect: false }).catch(() => {});
  redirect("/?uninstalled=1");
}
