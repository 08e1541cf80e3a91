import { describe, expect, it } from "vitest";
import { fieldErrorsOf, formInput } from "@/lib/actions/form-input";
import { connect, testSandbox } from "@/lib/buchhaltungsbutler/test-helpers";
import { testDb } from "@/scripts/test/db";
import { writeCursor } from "../cursors";
import { buildSyncDeps } from "../deps";
import { runStockStep, startStockRun } from "./run-stock-sync";
import { STOCK_CURSOR } from "./stock-cursor";
import { loadStockSettings, saveStockSettings } from "./stock-settings";
import { stockSettingsFormSchema } from "./stock-settings-form";

const database = testDb();
const sandbox = await testSandbox();

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return stockSettingsFormSchema.safeParse(formInput(f));
};

/** What the stock page's action does with a submitted form. */
async function submit(tenantId: string, fields: Record<string, string>) {
  const parsed = form(fields);
  if (!parsed.success) throw new Error(JSON.stringify(fieldErrorsOf(parsed.error)));
  await saveStockSettings(database, tenantId, parsed.data);
}

async function tenantWithClosedMonth() {
  const { tenantId, bb, client } = await connect(database, sandbox, { chart: "SKR04" });
  await database
    .insertInto("connections")
    .values({ tenant_id: tenantId, provider: "buchhaltungsbutler", status: "connected", meta: JSON.stringify({ check: { chart: "SKR04" } }), updated_at: new Date() })
    .execute();
  await saveStockSettings(database, tenantId, { timeZone: "Europe/Berlin" }, true);
  await database
    .insertInto("products")
    .values({ tenant_id: tenantId, item_id: "1", sku: "SKU-1", sku_key: "sku-1", sku_source: "customSku", kind: "simple", item_type: "default", source: "{}", source_hash: "h", updated_at: new Date() })
    .execute();
  await database
    .insertInto("stock_history")
    .values([
      { tenant_id: tenantId, item_id: "1", shop_id: "0", qoh: 6, average_cost: "2.5", ls_timestamp: "2026-03-10T09:00:00Z" },
      { tenant_id: tenantId, item_id: "1", shop_id: "1", qoh: 6, average_cost: null, ls_timestamp: "2026-03-10T09:00:00Z" },
    ])
    .execute();
  await writeCursor(database, tenantId, STOCK_CURSOR, { timeStamp: "2026-03-10T09:00:00Z", ids: [], ledgerStartedAt: "2026-02-15T10:00:00Z", caughtUpAt: "2026-04-01T00:30:00Z" });
  return { tenantId, bb, client };
}

/** The stock sync's valuation phase, as the stock-sync job runs it. */
async function stockSyncValuation(tenantId: string, client: Awaited<ReturnType<typeof connect>>["client"]) {
  const start = await startStockRun(database, { tenantId, kind: "manual" });
  if (!start.proceed) throw new Error(start.reason);
  const deps = buildSyncDeps(database, tenantId, { bb: client, now: () => Date.parse("2026-04-01T00:40:00Z") });
  return runStockStep(deps, { tenantId, runId: start.runId, kind: "manual", phase: "valuation", fresh: true });
}

const freePostings = (bb: Awaited<ReturnType<typeof connect>>["bb"]) =>
  bb.postings.filter((p) => p.kind === "free").map((p) => ({ text: p.text, amount: p.amount, debit: p.debit, credit: p.credit, date: p.date }));

const valuationLog = (tenantId: string) =>
  database.selectFrom("activity_log").select(["flow", "result", "reference", "message"]).where("tenant_id", "=", tenantId).where("entity", "=", "valuation").orderBy("id").execute();

const base = { availableFormula: "on_hand_minus_reserved", valuationFrequency: "month", firstValuation: "post_full_value", stockAccount: "", stockChangeAccount: "" };

describe("stock settings form → stock sync", () => {
  it("#17.4 'managed in BuchhaltungsButler' switched off in the form: the stock sync posts no valuation", async () => {
    const { tenantId, bb, client } = await tenantWithClosedMonth();
    await submit(tenantId, base);
    const r = await stockSyncValuation(tenantId, client);
    expect(r.valuation?.waiting).toBe("stock is not managed in BuchhaltungsButler");
    expect(freePostings(bb)).toEqual([]);
    expect(await valuationLog(tenantId)).toEqual([]);
  });

  it("#17.4 'managed in BuchhaltungsButler' switched on in the form: the stock sync posts the valuation to the chart's default accounts and logs it", async () => {
    const { tenantId, bb, client } = await tenantWithClosedMonth();
    await submit(tenantId, { ...base, managedInBb: "on" });
    const r = await stockSyncValuation(tenantId, client);
    expect(r.valuation?.periods).toEqual([{ period: "2026-03", status: "posted", valueCents: 1500, postedCents: 1500 }]);
    expect(freePostings(bb)).toEqual([{ text: "Bestandsveränderung 2026-03 (Butlerbridge)", amount: 1500, debit: 1140, credit: 5880, date: "2026-03-31" }]);
    const log = await valuationLog(tenantId);
    expect(log).toEqual([{ flow: "stock", result: "created", reference: "Bestandsbewertung 2026-03", message: expect.stringMatching(/^2026-03: posted increase of 15\.00 € \(debit 1140, credit 5880\)/) }]);
  });

  it("#17.4 the valuation accounts chosen in the form are the ones posted to; empty goes back to the chart's default", async () => {
    const { tenantId, bb, client } = await tenantWithClosedMonth();
    // The merchant's own accounts in BB (an account missing there is refused by BB, as the real API does).
    bb.accounts.set(1141, { number: 1141, name: "Bestand Waren Filiale", vatClass: "none", manual: true });
    bb.accounts.set(5881, { number: 5881, name: "Bestandsveränderungen Filiale", vatClass: "none", manual: true });
    await submit(tenantId, { ...base, managedInBb: "on", stockAccount: "1141", stockChangeAccount: "5881" });
    expect((await loadStockSettings(database, tenantId)).settings).toMatchObject({ managedInBb: true, stockAccount: 1141, stockChangeAccount: 5881 });
    await stockSyncValuation(tenantId, client);
    expect(freePostings(bb).map((p) => [p.debit, p.credit])).toEqual([[1141, 5881]]);
    await submit(tenantId, { ...base, managedInBb: "on" });
    const { settings } = await loadStockSettings(database, tenantId);
    expect([settings.stockAccount, settings.stockChangeAccount]).toEqual([undefined, undefined]);
  });

  it("#17.4 the form refuses what the stock sync could not use, next to the field", () => {
    const same = form({ ...base, managedInBb: "on", stockAccount: "1140", stockChangeAccount: "1140" });
    expect(same.success ? {} : fieldErrorsOf(same.error)).toEqual({ stockChangeAccount: { code: "invalid" } });
    const letters = form({ ...base, stockAccount: "Bestand" });
    expect(letters.success ? {} : Object.keys(fieldErrorsOf(letters.error))).toEqual(["stockAccount"]);
    const formula = form({ ...base, availableFormula: "whatever" });
    expect(formula.success ? {} : fieldErrorsOf(formula.error)).toEqual({ availableFormula: { code: "choice" } });
  });
});
