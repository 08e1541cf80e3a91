import { afterEach, describe, expect, it } from "vitest";
import { testDb } from "@/scripts/test/db";
import type { LightspeedSandbox } from "@/sandbox/lightspeed/server";
import { runOrderJob, startOrderWorld, type BbSeedDebtor, type OrderWorld } from "./order-sync.test-helpers";

const database = testDb();
let world: OrderWorld | undefined;

afterEach(async () => {
  await world?.close();
  world = undefined;
});

const SEEDED = 500;
const FIRST_SEEDED = 10100;

/** How a merchant types an address they already had: capitals anywhere, stray blanks. */
function asTypedByHand(email: string, i: number): string {
  const mixed = [...email].map((c, k) => ((k + i) % 3 === 0 ? c.toUpperCase() : c)).join("");
  return i % 4 === 0 ? ` ${mixed} ` : mixed;
}

interface Seed {
  debtors: BbSeedDebtor[];
  /** Lightspeed customer id → the seeded debtor's number, for customers the merchant already had in BB. */
  existing: Map<number, number>;
}

/**
 * 500 debtors already in the merchant's BB: every second Lightspeed customer with an e-mail (the address as typed
 * by hand), a few by customer number only (no e-mail in BB), the rest customers Lightspeed does not know.
 */
function seedDebtors(ls: LightspeedSandbox): Seed {
  const customers = [...ls.store.customers.values()].filter((c) => !c.archived).sort((a, b) => a.id - b.id);
  const withEmail = customers.filter((c) => /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(c.contact.email.trim()));
  const debtors: BbSeedDebtor[] = [];
  const existing = new Map<number, number>();
  withEmail.forEach((c, i) => {
    if (i % 2 !== 0) return;
    const number = FIRST_SEEDED + debtors.length;
    const byNumberOnly = i % 10 === 4;
    debtors.push({
      number,
      name: `${c.lastName}, ${c.firstName} (Stammkunde)`.slice(0, 100),
      email: byNumberOnly ? null : asTypedByHand(c.contact.email, i),
      customerNumber: byNumberOnly ? `LS-${c.id}` : `K-${number}`,
    });
    existing.set(c.id, number);
  });
  for (let i = debtors.length; i < SEEDED; i++) {
    const number = FIRST_SEEDED + i;
    debtors.push({ number, name: `Bestandskunde ${i}`, email: i % 2 ? `Kunde.${i}@Beispiel-Handel.DE` : `kunde${i}@beispiel-handel.de`, customerNumber: `K-${number}` });
  }
  return { debtors, existing };
}

function repeated(keys: (string | null | undefined)[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const k of keys) if (k) (seen.has(k) ? twice : seen).add(k);
  return [...twice];
}

describe("#14.1 existing BB debtors", () => {
  it("finds the 500 debtors the merchant already has: none created again, every other customer created exactly once", async () => {
    let seed: Seed = { debtors: [], existing: new Map() };
    world = await startOrderWorld(database, {
      ls: { sizes: { sales: 500, days: 8, items: 60, customers: 160 } },
      bbDebtors: (ls) => (seed = seedDebtors(ls)).debtors,
    });
    expect(seed.debtors).toHaveLength(SEEDED);
    expect(seed.existing.size).toBeGreaterThan(30);

    await runOrderJob(world, "backfill");

    const bbTenant = world.bb.tenant(world.bbApiKey);
    const debtors = [...bbTenant.debtors.values()];
    const seededNumbers = new Set(seed.debtors.map((d) => d.number));
    const created = debtors.filter((d) => d.number !== 10001 && !seededNumbers.has(d.number));

    // No person twice in BB: neither by e-mail (case and blanks aside) nor by customer number.
    expect(repeated(debtors.map((d) => d.email?.trim().toLowerCase()))).toEqual([]);
    expect(repeated(debtors.map((d) => d.customerNumber))).toEqual([]);

    // Which customers' sales were booked, and to which debtor.
    const doneSales = await database
      .selectFrom("sync_links")
      .select("source_id")
      .where("tenant_id", "=", world.tenantId)
      .where("entity", "=", "sale")
      .where("status", "=", "done")
      .execute();
    const customerOfSale = new Map([...world.ls.store.sales.values()].map((s) => [String(s.id), s.customerId]));
    const bookedCustomers = new Set(doneSales.map((l) => customerOfSale.get(l.source_id) ?? 0).filter((id) => id > 0));
    const customers = new Map([...world.ls.store.customers.values()].map((c) => [c.id, c]));
    const existingBooked = [...bookedCustomers].filter((id) => seed.existing.has(id));
    expect(existingBooked.length).toBeGreaterThan(20);

    // 0 debtors created for customers who already exist in BB …
    const createdFor = new Set(created.map((d) => d.customerNumber));
    expect(existingBooked.filter((id) => createdFor.has(`LS-${id}`))).toEqual([]);
    // … and every booked customer with an e-mail who was not in BB exists exactly once, as LS-<id>.
    const newBooked = [...bookedCustomers].filter((id) => !seed.existing.has(id) && customers.get(id)?.contact.email.trim());
    expect([...createdFor].sort()).toEqual(newBooked.map((id) => `LS-${id}`).sort());

    // The receipts of existing customers went to the debtor the merchant already had.
    const receiptsByDebtor = new Set(bbTenant.receipts.filter((r) => !r.deleted).map((r) => r.creditorDebtor));
    for (const id of existingBooked) expect(receiptsByDebtor.has(seed.existing.get(id)!)).toBe(true);
  }, 300_000);
});
