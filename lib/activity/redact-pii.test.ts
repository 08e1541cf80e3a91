import { describe, expect, it } from "vitest";
import { customer, line, pay, PT, sale } from "../sync/orders/fixtures.test-helpers";
import { redactedJson, redactPii } from "./redact-pii";

describe("redactedJson", () => {
  it("#21.2 writes exactly what serialising the redacted copy wrote, without the copy", () => {
    const s = sale("30.00", [line("20.00"), line("10.00", "0.07")], [pay(PT.cash!, "25.00"), pay(PT.card!, "5.00")], {
      customerId: "16",
      customer: customer({ company: "Muster GmbH", vatNumber: "DE123456789" }),
    });
    const plan = {
      debtor: { number: 10002, name: "Muster GmbH" },
      tenders: [{ key: "1", paymentTypeName: "Bar", lines: [{ account: 1000, text: "Erika Mustermann", amount: 2500 }] }],
      shop: { name: "Filiale Mitte" },
      phones: [{ number: "+49 30 123456", useType: "Mobile" }],
      nested: [[{ email: "erika@example.com", emails: [] }], { counterparty: "", toFrom: null, street: undefined }],
      skipped: undefined,
    };
    for (const value of [s, plan, { receiptId: "17", tenders: { "1": { transactionId: "9" } } }, null, undefined, "text", 12, [s.customer, s.customer]]) {
      expect(redactedJson(value)).toBe(JSON.stringify(redactPii(value) ?? null));
    }
    expect(redactedJson(s)).not.toContain("Mustermann");
    expect(redactedJson(plan)).toContain("Filiale Mitte");
  });
});
