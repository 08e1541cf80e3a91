import { describe, expect, it } from "vitest";
import { testDb } from "@/scripts/test/db";
import { syncDebtorIndex } from "../../buchhaltungsbutler";
import { connect, testSandbox } from "../../buchhaltungsbutler/test-helpers";
import { emptyOrderMappings } from "../../mapping/order-mappings";
import type { DebtorChoice } from "./choose-debtor";
import { getLink, saveLink } from "../links";
import { ensureDebtor } from "./ensure-debtor";

const database = testDb();
const sandbox = await testSandbox();

const customer = (email: string, customerNumber: string): DebtorChoice => ({ kind: "customer", email, fields: { name: "Erika Musterfrau", email, customerNumber } });

describe("ensureDebtor against the merchant's existing BB debtors", () => {
  it("finds a customer the merchant has in BB although the index was never filled (e-mail in another case)", async () => {
    const { tenantId, client, bb } = await connect(database, sandbox, { debtors: [{ number: 10050, name: "Erika Musterfrau", email: "Erika.Musterfrau@Example.COM" }] });
    const debtor = await ensureDebtor(database, client, tenantId, customer("erika.musterfrau@example.com", "LS-77"), emptyOrderMappings(), { updateExisting: false });
    expect(debtor).toMatchObject({ number: 10050, action: "matched" });
    expect(bb.debtors.size).toBe(1);
  });

  it("finds one added in BB by hand after the index was filled, when the index is stale", async () => {
    const { tenantId, client, bb } = await connect(database, sandbox, { debtors: [{ number: 10050, name: "Someone Else", email: "else@example.com" }] });
    await syncDebtorIndex(database, tenantId, client);
    await database.updateTable("bb_debtor_index_state").set({ synced_at: new Date(Date.now() - 3_600_000) }).where("tenant_id", "=", tenantId).execute();
    bb.debtors.set(10051, { ...bb.debtors.get(10050)!, number: 10051, name: "Max Mustermann", email: null, customerNumber: "LS-88" });
    const debtor = await ensureDebtor(database, client, tenantId, customer("max@example.com", "LS-88"), emptyOrderMappings(), { updateExisting: false });
    expect(debtor).toMatchObject({ number: 10051, action: "matched" });
  });

  it("creates a new customer once, and pages BB at most once per run for unknown customers", async () => {
    const { tenantId, client, bb } = await connect(database, sandbox, { debtors: [{ number: 10050, name: "Someone Else", email: "else@example.com" }] });
    const a = await ensureDebtor(database, client, tenantId, customer("new1@example.com", "LS-1"), emptyOrderMappings(), { updateExisting: false });
    const listsAfterFirst = client.stats().byPath["settings/get/debtors"] ?? 0;
    const b = await ensureDebtor(database, client, tenantId, customer("new2@example.com", "LS-2"), emptyOrderMappings(), { updateExisting: false });
    const again = await ensureDebtor(database, client, tenantId, customer("NEW1@example.com", "LS-1"), emptyOrderMappings(), { updateExisting: false });
    expect([a.action, b.action, again.action]).toEqual(["created", "created", "matched"]);
    expect(again.number).toBe(a.number);
    expect(client.stats().byPath["settings/get/debtors"] ?? 0).toBe(listsAfterFirst);
    expect(bb.debtors.size).toBe(3);
  });

  it("#14.12 a customer without e-mail is matched by customer number, and otherwise created once without an e-mail", async () => {
    const { tenantId, client, bb } = await connect(database, sandbox, { debtors: [{ number: 10050, name: "Muster GmbH", customerNumber: "LS-5" }] });
    const noEmail = (customerNumber: string): DebtorChoice => ({ kind: "customer", email: null, fields: { name: "Muster GmbH", customerNumber } });
    expect(await ensureDebtor(database, client, tenantId, noEmail("LS-5"), emptyOrderMappings(), { updateExisting: false })).toMatchObject({ number: 10050, action: "matched" });
    const created = await ensureDebtor(database, client, tenantId, noEmail("LS-6"), emptyOrderMappings(), { updateExisting: false });
    const again = await ensureDebtor(database, client, tenantId, noEmail("LS-6"), emptyOrderMappings(), { updateExisting: false });
    expect([created.action, again.action, again.number]).toEqual(["created", "matched", created.number]);
    expect(bb.debtors.get(created.number)).toMatchObject({ customerNumber: "LS-6", email: null });
    expect(bb.debtors.size).toBe(2);
  });

  it("#14.8 a debtor BB creates after the client gave up (late commit) is not created a second time", async () => {
    const { tenantId, client, bb } = await connect(database, sandbox, { debtors: [{ number: 10050, name: "Someone Else", email: "else@example.com" }] }, { readBackDelayMs: 100, backoffMs: 10 });
    await syncDebtorIndex(database, tenantId, client);
    let now = sandbox.clock.now();
    const options = { updateExisting: false, now: () => now };
    sandbox.faults.set({ lateCommitRate: 1, lateCommitMs: 30_000, paths: ["settings/add/debtor"], limit: 1 });
    try {
      // The create's answer is lost and BB has not stored it yet when the client looks.
      await ensureDebtor(database, client, tenantId, customer("late@example.com", "LS-300"), emptyOrderMappings(), options).catch(() => undefined);
      await sandbox.clock.sleep(40_000);
      now = sandbox.clock.now();
      const again = await ensureDebtor(database, client, tenantId, customer("late@example.com", "LS-300"), emptyOrderMappings(), options);
      const stored = [...bb.debtors.values()].filter((d) => d.customerNumber === "LS-300").map((d) => d.number);
      expect(stored).toEqual([again.number]);
      expect((await getLink(database, tenantId, "customer", "LS-300"))?.target_ids.debtorNumber).toBe(again.number);
    } finally {
      sandbox.faults.reset();
    }
  });

  it("after a create whose answer was lost (or a crash right after it) reads BB back instead of creating a second debtor", async () => {
    const { tenantId, client, bb } = await connect(database, sandbox, { debtors: [{ number: 10050, name: "Someone Else", email: "else@example.com" }] });
    await syncDebtorIndex(database, tenantId, client);
    // The first attempt recorded its intent and BB created the debtor; our index never heard of it.
    await saveLink(database, tenantId, "customer", "LS-99", { step: "creating", status: "pending" });
    bb.debtors.set(10051, { ...bb.debtors.get(10050)!, number: 10051, name: "Erika Musterfrau", email: "erika@example.com", customerNumber: "LS-99" });
    const debtor = await ensureDebtor(database, client, tenantId, customer("erika@example.com", "LS-99"), emptyOrderMappings(), { updateExisting: false });
    expect(debtor).toMatchObject({ number: 10051, action: "matched" });
    expect(bb.debtors.size).toBe(2);
    expect((await getLink(database, tenantId, "customer", "LS-99"))).toMatchObject({ step: "created", status: "done", target_ids: { debtorNumber: 10051 } });
  });
});
