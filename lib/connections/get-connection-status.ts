import type { Database } from "../db";

export interface ConnectionStatusView {
  lightspeed: {
    status: "connected" | "needs_reauth" | "error" | "disconnected" | "missing";
    accountId: string | null;
    accountName: string | null;
    shops: { shopId: string; name: string; timeZone: string }[];
  };
  buchhaltungsbutler: {
    status: "connected" | "needs_reauth" | "error" | "disconnected" | "missing";
    mode: "partner" | "own" | null;
    chart: string | null;
    debtorMode: string | null;
    paymentAccounts: { number: number; name: string; kind?: string }[];
    problems: { code: string; message_en: string; message_de: string }[];
    lastCheckedAt: Date | null;
    lastError: { code: string; detail: string | null } | null;
  };
}

type Meta = Record<string, unknown>;
const arr = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

/** What the setup screens show about both connections; never returns a credential. */
export async function getConnectionStatus(database: Database, tenantId: string): Promise<ConnectionStatusView> {
  const rows = await database
    .selectFrom("connections")
    .select(["provider", "status", "external_id", "meta", "last_checked_at", "last_error"])
    .where("tenant_id", "=", tenantId)
    .execute();
  const tenant = await database.selectFrom("tenants").select("name").where("id", "=", tenantId).executeTakeFirst();
  const ls = rows.find((r) => r.provider === "lightspeed");
  const bb = rows.find((r) => r.provider === "buchhaltungsbutler");
  const lsMeta = (ls?.meta ?? {}) as Meta;
  const bbMeta = (bb?.meta ?? {}) as Meta;
  const check = (bbMeta.check ?? {}) as Meta;
  const lastError = (bb?.last_error ?? null) as { code?: string; detail?: string | null } | null;
  return {
    lightspeed: {
      status: ls ? ls.status : "missing",
      accountId: ls?.external_id ?? null,
      accountName: (lsMeta.accountName as string | undefined) ?? tenant?.name ?? null,
      shops: arr(lsMeta.shops),
    },
    buchhaltungsbutler: {
      status: bb ? bb.status : "missing",
      mode: (bbMeta.mode as "partner" | "own" | undefined) ?? null,
      chart: (check.chart as string | undefined) ?? null,
      debtorMode: (check.debtorMode as string | undefined) ?? null,
      paymentAccounts: arr(check.paymentAccounts),
      problems: arr(check.problems),
      lastCheckedAt: bb?.last_checked_at ?? null,
      lastError: lastError?.code ? { code: lastError.code, detail: lastError.detail ?? null } : null,
    },
  };
}
