import { afterEach, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { testDb } from "@/scripts/test/db";
import type { BbClient } from "@/lib/buchhaltungsbutler";
import type { LsPaymentType, LsSale } from "@/lib/lightspeed/domain";
import { getLink } from "../links";
import { line, pay, sale } from "./fixtures.test-helpers";
import { parseOrderSettings, saveOrderSettings } from "./order-settings";
import { cashTypeOf, lsAnswering, runOrdersOn, startOrderWorld, type OrderWorld } from "./order-sync.test-helpers";
import { reconcileDays } from "./reconcile-days";

const database = testDb();
let world: OrderWorld | undefined;

afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** A cash sale of `euros`, and the same sale edited to another amount (same ids, later timestamps). */
function cashSale(cash: LsPaymentType, euros: string): LsSale {
  return sale(euros, [line(euros)], [pay(cash, euros)]);
}
function edited(original: LsSale, cash: LsPaymentType, euros: string): LsSale {
  const l = { ...original.lines[0]!, calcTotal: euros, calcSubtotal: euros, unitPrice: euros, normalUnitPrice: euros };
  const p = { ...original.payments[0]!, amount: euros, paymentType: cash };
  return { ...original, total: euros, calcTotal: euros, calcSubtotal: euros, totalDue: euros, calcPayments: euros, lines: [l], payments: [p], updateTime: "2026-03-15T10:00:00.000Z", timeStamp: "2026-03-15T10:00:00.000Z" };
}

/** A resync of one sale as the merchant asks for it, with Lightspeed answering `s` (and BB through `bb`). */
function resync(w: OrderWorld, s: LsSale, bb?: BbClient) {
  return runOrdersOn(database, w, [s], { resync: s.saleId, bb });
}

/** A poll whose one page of changed sales is `s`. */
function poll(w: OrderWorld, s: LsSale, bb?: BbClient) {
  return runOrdersOn(database, w, [s], { bb });
}

/** A world of one sale with the given rule for edits after posting, and its cash payment type. */
async function oneSaleWorld(editsAfterSync: "repost" | "ignore") {
  world = await startOrderWorld(database, { ls: { sizes: { sales: 1, days: 1, items: 5, customers: 1 } }, settings: { editsAfterSync } });
  return { w: world, cash: await cashTypeOf(database, world) };
}

/** A 10 € cash sale booked by `via` (a poll, or the merchant's resync), and its invoice number. */
async function bookedCashSale(w: OrderWorld, cash: LsPaymentType, via: typeof poll = poll) {
  const v1 = cashSale(cash, "10.00");
  await via(w, v1);
  const invoice = (await getLink(database, w.tenantId, "sale", v1.saleId))!.target_ids.invoiceNumber!;
  return { v1, invoice };
}

function bbOf(w: OrderWorld) {
  return w.bb.tenant(w.bbApiKey);
}

function receiptsNumbered(w: OrderWorld, invoice: string) {
  return bbOf(w).receipts.filter((r) => !r.deleted && r.invoiceNumber === invoice);
}

/** Live revenue postings of a receipt, as signed sums (BB keeps them positive and swaps sides). */
function livePostingsOf(w: OrderWorld, receiptId: number) {
  return bbOf(w).postings.filter((p) => !p.cancelled && p.kind === "receipt" && p.receiptId === receiptId);
}

/** Net money on an account from live transaction postings of our sales (debit positive). */
function cashOn(w: OrderWorld, account: number, purposePrefix: string): number {
  const t = bbOf(w);
  const ours = new Set(t.transactions.filter((x) => x.purpose.startsWith(purposePrefix) && x.account === account).map((x) => x.id));
  return t.transactions.filter((x) => ours.has(x.id)).reduce((a, x) => a + x.amount, 0);
}

describe("#14.3 void → repost", () => {
  it("#14.3 void → repost is one step: a crash between leaves the sale to be posted again", async () => {
    const { w, cash } = await oneSaleWorld("repost");
    await sql`create table if not exists crash_plan (source_id text primary key, countdown int not null)`.execute(database);
    await sql`
      create or replace function crash_injected() returns trigger language plpgsql as $$
      declare c int;
      begin
        update crash_plan set countdown = countdown - 1 where source_id = new.source_id and new.entity = 'sale' returning countdown into c;
        if c = 0 then raise exception 'crash injected before link write'; end if;
        return new;
      end $$`.execute(database);
    await sql`drop trigger if exists crash_injected on sync_links`.execute(database);
    await sql`create trigger crash_injected before insert or update on sync_links for each row execute function crash_injected()`.execute(database);
    try {
      // The process dies before the k-th write of the sale's link during the void and re-post, for every k.
      let crashed = true;
      let points = 0;
      for (let k = 1; crashed && k <= 60; k++) {
        points = k;
        const v1 = cashSale(cash, "10.00");
        await poll(w, v1);
        const invoice = (await getLink(database, w.tenantId, "sale", v1.saleId))!.target_ids.invoiceNumber!;
        const v2 = edited(v1, cash, `${20 + k}.00`);
        await sql`insert into crash_plan values (${v1.saleId}, ${k})`.execute(database);
        crashed = await poll(w, v2).then(
          () => false,
          (e: unknown) => String(e).includes("crash injected"),
        );
        await sql`delete from crash_plan`.execute(database);
        await poll(w, v2);

        const link = (await getLink(database, w.tenantId, "sale", v1.saleId))!;
        const what = `crash before write ${k}: link ${link.status}/${link.step}`;
        expect(link.status, what).toBe("done");
        expect(link.target_ids.revision, what).toBe(1);
        const k1 = receiptsNumbered(w, `${invoice}-K1`);
        expect(k1.map((r) => r.amount), what).toEqual([2000 + k * 100]);
        expect(livePostingsOf(w, k1[0]!.id).reduce((a, p) => a + p.amount, 0), what).toBe(2000 + k * 100);
        // The original is reversed exactly once: no live revenue postings, its cash paid back once.
        const original = receiptsNumbered(w, invoice);
        expect(original).toHaveLength(1);
        expect(livePostingsOf(w, original[0]!.id), what).toEqual([]);
        expect(cashOn(w, 1000, `${invoice}/`), what).toBe(0);
        expect(cashOn(w, 1000, `${invoice}-K1/`), what).toBe(2000 + k * 100);
      }
      expect(crashed).toBe(false);
      // Every write of the link on the way was a crash point: the reversal's steps, the re-post's, the end.
      expect(points).toBeGreaterThan(10);
    } finally {
      await sql`drop trigger if exists crash_injected on sync_links`.execute(database);
    }
  }, 300_000);
});

describe("a reversal interrupted by a crash", () => {
  it("#14.3 is finished and posted again even when the setting was switched to 'ignore' meanwhile", async () => {
    const { w, cash } = await oneSaleWorld("repost");
    const { v1, invoice } = await bookedCashSale(w, cash);
    // The re-post dies after the receipt's postings were cancelled, before the cash went back out.
    const real = w.bbClient();
    const dying = new Proxy(real, {
      get: (target, key) => (key === "addTransaction" ? () => Promise.reject(new Error("process killed")) : (Reflect.get(target, key, target) as unknown)),
    });
    const v2 = edited(v1, cash, "25.00");
    await expect(poll(w, v2, dying)).rejects.toThrow();
    expect(livePostingsOf(w, receiptsNumbered(w, invoice)[0]!.id)).toEqual([]);

    await saveOrderSettings(database, w.tenantId, { editsAfterSync: "ignore" });
    await poll(w, v2);

    expect(cashOn(w, 1000, `${invoice}/`)).toBe(0);
    expect(receiptsNumbered(w, `${invoice}-K1`).map((r) => r.amount)).toEqual([2500]);
    expect(cashOn(w, 1000, `${invoice}`)).toBe(2500);
  });
});

describe("#14.4 resync of an edited, posted sale", () => {
  it("#14.4 resync of an edited, posted sale follows the edit rule: reversed and posted again, not marked done with the new hash", async () => {
    const { w, cash } = await oneSaleWorld("repost");
    const { v1, invoice } = await bookedCashSale(w, cash, resync);

    await resync(w, edited(v1, cash, "25.00"));

    const k1 = receiptsNumbered(w, `${invoice}-K1`);
    expect(k1.map((r) => r.amount)).toEqual([2500]);
    expect(livePostingsOf(w, receiptsNumbered(w, invoice)[0]!.id)).toEqual([]);
    expect(cashOn(w, 1000, `${invoice}`)).toBe(2500);
    const link = (await getLink(database, w.tenantId, "sale", v1.saleId))!;
    expect(link.target_ids.plan?.totals.gross).toBe(2500);
    expect(link.target_ids.revision).toBe(1);

    // Edited once more: every reversed booking still counts in the day's money.
    const v3 = edited(v1, cash, "30.00");
    await resync(w, v3);
    expect(receiptsNumbered(w, `${invoice}-K2`).map((r) => r.amount)).toEqual([3000]);
    expect(cashOn(w, 1000, `${invoice}`)).toBe(3000);
    const days = await reconcileDays(database, { ls: lsAnswering(w, [v3]), bb: w.bbClient() }, w.tenantId, { from: "2026-03-14", to: "2026-03-15" });
    expect(days.map((d) => ({ date: d.date, differences: d.differences }))).toEqual([
      { date: "2026-03-14", differences: [] },
      { date: "2026-03-15", differences: [] },
    ]);
  });
});

describe("#14.6 changed plan after the receipt exists", () => {
  it("#14.6 a changed plan after the receipt exists goes the correction way, never new lines on the old receipt", async () => {
    const { w, cash } = await oneSaleWorld("repost");
    const v1 = cashSale(cash, "10.00");
    // The first write dies right after the receipt was created.
    const real = w.bbClient();
    const dying = new Proxy(real, {
      get(target, key) {
        if (key === "postReceipt" || key === "addComment") return async () => Promise.reject(new Error("process killed"));
        return Reflect.get(target, key, target) as unknown;
      },
    });
    await expect(poll(w, v1, dying)).rejects.toThrow();
    const started = (await getLink(database, w.tenantId, "sale", v1.saleId))!;
    expect(started.target_ids.receiptId).toBeTruthy();
    const invoice = started.target_ids.invoiceNumber!;

    // Edited in Lightspeed before the next attempt.
    await poll(w, edited(v1, cash, "25.00"));

    const link = (await getLink(database, w.tenantId, "sale", v1.saleId))!;
    expect({ status: link.status, error: link.last_error?.detail ?? null }).toEqual({ status: "done", error: null });
    expect(link.target_ids.plan?.totals.gross).toBe(2500);
    const original = receiptsNumbered(w, invoice);
    expect(original.map((r) => r.amount)).toEqual([1000]);
    // Whatever the old receipt carries (or carried) is its own amount, never the edited one.
    const onOld = bbOf(w).postings.filter((p) => p.receiptId === original[0]!.id && p.kind === "receipt");
    expect(onOld.map((p) => p.amount).filter((a) => a !== 1000)).toEqual([]);
    expect(livePostingsOf(w, original[0]!.id)).toEqual([]);
    const k1 = receiptsNumbered(w, `${invoice}-K1`);
    expect(k1.map((r) => r.amount)).toEqual([2500]);
    expect(livePostingsOf(w, k1[0]!.id).reduce((a, p) => a + p.amount, 0)).toBe(2500);
    expect(cashOn(w, 1000, `${invoice}`)).toBe(2500);
  });
});

describe("#14.11 edits after posting", () => {
  it("#14.11 edits after posting default to reverse and post again; 'ignore' raises an inbox item", async () => {
    expect(parseOrderSettings({}).editsAfterSync).toBe("repost");

    const { w, cash } = await oneSaleWorld("ignore");
    const { v1, invoice } = await bookedCashSale(w, cash);
    await poll(w, edited(v1, cash, "25.00"));

    // BB is left as it was …
    expect(receiptsNumbered(w, `${invoice}-K1`)).toEqual([]);
    expect(receiptsNumbered(w, invoice).map((r) => r.amount)).toEqual([1000]);
    // … and the merchant is told in the inbox, once per sale.
    const inbox = await database.selectFrom("notifications").select(["code", "severity", "message", "source_id", "resolved_at"]).where("tenant_id", "=", w.tenantId).execute();
    expect(inbox).toEqual([
      expect.objectContaining({ code: "SALE_EDIT_IGNORED", severity: "warning", source_id: v1.saleId, resolved_at: null, message: expect.objectContaining({ code: "sale_edit_ignored" }) }),
    ]);

    // Switching to "reverse and post again" and resyncing books the edit.
    await saveOrderSettings(database, w.tenantId, { editsAfterSync: "repost" });
    await poll(w, edited(v1, cash, "30.00"));
    expect(receiptsNumbered(w, `${invoice}-K1`).map((r) => r.amount)).toEqual([3000]);
    const open = await database.selectFrom("notifications").select("code").where("tenant_id", "=", w.tenantId).where("resolved_at", "is", null).execute();
    expect(open).toEqual([]);
  });

  it("#14.11 an edit left unbooked under 'ignore' is booked by a resync of that same version once the setting is 'reverse and post again'", async () => {
    const { w, cash } = await oneSaleWorld("ignore");
    const { v1, invoice } = await bookedCashSale(w, cash);
    const v2 = edited(v1, cash, "25.00");
    await poll(w, v2);
    expect(receiptsNumbered(w, `${invoice}-K1`)).toEqual([]);

    // The merchant follows the inbox item: switches the setting and retries (a resync of the sale as it is now).
    await saveOrderSettings(database, w.tenantId, { editsAfterSync: "repost" });
    await resync(w, v2);
    expect(receiptsNumbered(w, `${invoice}-K1`).map((r) => r.amount)).toEqual([2500]);
    expect(cashOn(w, 1000, invoice)).toBe(2500);
    const open = await database.selectFrom("notifications").select("code").where("tenant_id", "=", w.tenantId).where("resolved_at", "is", null).execute();
    expect(open).toEqual([]);
  });
});
