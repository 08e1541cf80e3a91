import { describe, expect, it } from "vitest";
import { testDb } from "@/scripts/test/db";
import { AppError } from "../errors/app-error";
import { cents } from "../money";
import { connect, testSandbox } from "./test-helpers";

const database = testDb();
const sandbox = await testSandbox();
const withCard = { paymentAccounts: [{ number: 1000, name: "Kasse", type: "cash" as const, revisionSafe: true }, { number: 1200, name: "Bank", type: "bank/institution" as const }, { number: 1792, name: "EC/Kreditkarte", type: "other" as const }] };

describe("checkConnection", () => {
  it("detects SKR03, the payment accounts by kind and a usable debtor mode (probe on an existing outbound receipt)", async () => {
    const { client, bb } = await connect(database, sandbox, { ...withCard, debtorMode: "selective" });
    await client.addReceipt({ type: "invoice outbound", counterparty: "Alt", invoiceNumber: "RE-2025-1", date: "2025-12-30", amount: cents(100) });
    const check = await client.checkConnection();
    expect(check).toMatchObject({
      ok: true,
      chart: "SKR03",
      debtorMode: "usable",
      revenueAccounts: { "19_vat": 8400, "7_vat": 8300, "0_none": 8200 },
      paymentAccounts: [
        { number: 1000, name: "Kasse", kind: "cash" },
        { number: 1200, name: "Bank", kind: "bank" },
        { number: 1792, name: "EC/Kreditkarte", kind: "other" },
      ],
      problems: [],
    });
    // The probe booked nothing.
    expect(bb.postings).toEqual([]);
  });

  it("detects SKR04 and debtor mode off, with a problem the wizard can show in both languages", async () => {
    const { client } = await connect(database, sandbox, { chart: "SKR04", debtorMode: "off" });
    await client.addReceipt({ type: "invoice outbound", counterparty: "Alt", invoiceNumber: "RE-1", date: "2025-12-30", amount: cents(100) });
    const check = await client.checkConnection();
    expect(check).toMatchObject({ ok: false, chart: "SKR04", debtorMode: "off", revenueAccounts: { "19_vat": 4400, "7_vat": 4300 } });
    expect(check.problems.map((p) => p.code)).toEqual(["NO_CARD_ACCOUNT", "DEBTOR_MODE_OFF"]);
    expect(check.problems[1]!.message_de).toContain("Debitoren");
  });

  it("knows collective mode from the collective debtor, and says 'unknown' when nothing can tell", async () => {
    const collective = await connect(database, sandbox, { ...withCard, debtorMode: "collective" });
    expect((await collective.client.checkConnection()).debtorMode).toBe("usable");
    const fresh = await connect(database, sandbox, { ...withCard, debtorMode: "selective" });
    const check = await fresh.client.checkConnection();
    expect([check.debtorMode, check.ok, check.problems.map((p) => p.code)]).toEqual(["unknown", true, ["DEBTOR_MODE_UNKNOWN"]]);
  });

  it("throws the tenant-level error for bad credentials and an inactive account", async () => {
    const { bb } = await connect(database, sandbox, withCard);
    const bad = await connect(database, sandbox, withCard, { credentials: { apiClient: bb.apiClient, apiSecret: "wrong", apiKey: bb.apiKey } });
    const e1 = await bad.client.checkConnection().catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(AppError);
    expect((e1 as AppError).code).toBe("BB_CREDENTIALS_INVALID");
    const inactive = await connect(database, sandbox, { ...withCard, active: false });
    const e2 = await inactive.client.checkConnection().catch((e: unknown) => e);
    expect((e2 as AppError).code).toBe("BB_ACCOUNT_INACTIVE");
  });
});
