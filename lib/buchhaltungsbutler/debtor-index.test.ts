import { describe, expect, it } from "vitest";
import { testDb, createTestTenant } from "@/scripts/test/db";
import { debtorIndexSyncedAt, findDebtorByCustomerNumber, findDebtorByEmail, syncDebtorIndex, upsertIndexedDebtors } from "./debtor-index";
import { connect, testSandbox } from "./test-helpers";
import type { BbDebtor } from "./types";

const database = testDb();
const sandbox = await testSandbox();

const many = Array.from({ length: 260 }, (_, i) => ({ number: 10001 + i, name: `Kunde ${i}`, email: `kunde${i}@example.com`, customerNumber: `LS-${i}` }));

describe("debtor index", () => {
  it("pages every debtor once (BB caps pages silently) and then answers e-mail lookups without API calls", async () => {
    const { client, tenantId } = await connect(database, sandbox, { debtors: many });
    expect(await debtorIndexSyncedAt(database, tenantId)).toBeNull();
    const { count } = await syncDebtorIndex(database, tenantId, client);
    expect(count).toBe(260);
    // limit 500 asked, 100 served per page: 100 + 100 + 60, the short page ends it.
    expect(client.stats().byPath["settings/get/debtors"]).toBe(3);
    expect(await debtorIndexSyncedAt(database, tenantId)).toBeInstanceOf(Date);
    const before = client.stats().calls;
    expect(await findDebtorByEmail(database, tenantId, "  KUNDE259@Example.com ")).toMatchObject({ postingAccountNumber: 10260, name: "Kunde 259" });
    expect(await findDebtorByCustomerNumber(database, tenantId, "LS-7")).toMatchObject({ postingAccountNumber: 10008 });
    expect(await findDebtorByEmail(database, tenantId, "nobody@example.com")).toBeNull();
    expect(client.stats().calls).toBe(before);
  });

  it("ends on an empty page when the last page happens to be full", async () => {
    const { client, tenantId } = await connect(database, sandbox, { debtors: many.slice(0, 200) });
    expect((await syncDebtorIndex(database, tenantId, client)).count).toBe(200);
    expect(client.stats().byPath["settings/get/debtors"]).toBe(3);
  });

  it("is kept current by the client on every create and update", async () => {
    const { client, tenantId, bb } = await connect(database, sandbox, { debtors: many.slice(0, 3) });
    await syncDebtorIndex(database, tenantId, client);
    const { postingAccountNumber } = await client.addDebtor({ name: "Neue Kundin", email: "Neu@Example.com", customerNumber: "LS-NEW", city: "Berlin", street: "Weg 1" });
    expect(await findDebtorByEmail(database, tenantId, "neu@example.com")).toMatchObject({ postingAccountNumber, city: "Berlin" });
    // Only the city changes; BB clears what is not sent, so the client sends the full record from the index.
    await client.updateDebtor({ postingAccountNumber, city: "Hamburg" });
    expect(bb.debtors.get(postingAccountNumber)).toMatchObject({ city: "Hamburg", email: "Neu@Example.com", street: "Weg 1", customerNumber: "LS-NEW" });
    expect(await findDebtorByCustomerNumber(database, tenantId, "LS-NEW")).toMatchObject({ city: "Hamburg", street: "Weg 1" });
  });

  it("adds several debtors: e-mail ones one by one (the batch item has no e-mail), the rest in a batch", async () => {
    const { client, tenantId, bb } = await connect(database, sandbox);
    const out = await client.addDebtors([
      { name: "Mit Mail", email: "mit@example.com", customerNumber: "LS-M" },
      { name: "Ohne Mail A", customerNumber: "LS-A" },
      { name: "Ohne Mail B", customerNumber: "LS-B" },
      { name: "", customerNumber: "LS-X" },
    ]);
    expect(out.results.map((r) => r.ok)).toEqual([true, true, true, false]);
    expect(client.stats().byPath).toMatchObject({ "settings/add/debtor": 1, "settings/add-batch/debtors": 1 });
    expect([...bb.debtors.values()].find((d) => d.customerNumber === "LS-M")?.email).toBe("mit@example.com");
    expect(await findDebtorByEmail(database, tenantId, "mit@example.com")).not.toBeNull();
    expect(await findDebtorByCustomerNumber(database, tenantId, "LS-B")).toMatchObject({ name: "Ohne Mail B" });
  });

  it("drops debtors BB no longer lists, but keeps one created while the sync was paging", async () => {
    const tenantId = await createTestTenant(database);
    const d = (n: number, email: string): BbDebtor => ({ postingAccountNumber: n, name: `D${n}`, email, customerNumber: null, contactPersonName: null, street: null, additionalAddressLine: null, zip: null, city: null, country: null, salesTaxId: null, iban: null, bic: null });
    await upsertIndexedDebtors(database, tenantId, [d(10001, "gone@example.com")]);
    const client = {
      async *listDebtors() {
        yield [d(10002, "a@example.com")];
        // Meanwhile another job creates a debtor through the client.
        await upsertIndexedDebtors(database, tenantId, [d(10003, "during@example.com")]);
        yield [d(10004, "b@example.com")];
      },
    };
    await new Promise((r) => setTimeout(r, 20));
    expect((await syncDebtorIndex(database, tenantId, client)).count).toBe(2);
    expect(await findDebtorByEmail(database, tenantId, "gone@example.com")).toBeNull();
    expect(await findDebtorByEmail(database, tenantId, "during@example.com")).not.toBeNull();
    expect(await findDebtorByEmail(database, tenantId, "b@example.com")).not.toBeNull();
  });

  it("returns the lowest number when two debtors share an e-mail", async () => {
    const { client, tenantId } = await connect(database, sandbox, { debtors: [{ number: 10005, name: "B", email: "same@example.com" }, { number: 10002, name: "A", email: "Same@example.com" }] });
    await syncDebtorIndex(database, tenantId, client);
    expect((await findDebtorByEmail(database, tenantId, "same@example.com"))?.postingAccountNumber).toBe(10002);
  });
});
