import { describe, expect, it } from "vitest";
import { cents } from "../money";
import { bbErrorToAppError, isUncertain, routeKey } from "./errors";
import { compact, postingFromWire, receiptFromWire, serializeBody, transactionFromWire, wireAmount } from "./wire";

describe("wire format", () => {
  it("writes amounts as JSON numbers with exactly two decimals and leaves optional fields out", () => {
    const body = compact({ amount: wireAmount(cents(11900)), fee: wireAmount(cents(-5)), vat_rate: undefined, purpose: "" });
    expect(serializeBody(body)).toBe('{"amount":119.00,"fee":-0.05,"purpose":""}');
    expect(JSON.parse(serializeBody({ a: wireAmount(cents(1)) }))).toEqual({ a: 0.01 });
  });

  it("reads BB's string amounts, 0/1 flags, string-or-number ids and read-side names", () => {
    expect(
      receiptFromWire.parse({ id_by_customer: "12", type: "invoice outbound", date: "2026-03-14", delivery_date: null, counterparty: "X", invoicenumber: "A", amount: "119.90", amount_paid: "0.00", deleted: "1", account: "1200", link_to_receipt_id_by_customer: null }),
    ).toMatchObject({ id: "12", amount: 11990, deleted: true, account: 1200, linkToReceiptId: null });
    expect(transactionFromWire.parse({ id_by_customer: 7, to_from: "X", amount: "-5.50", booking_date: "2026-03-14 10:00:00", purpose: "P" })).toMatchObject({ id: "7", amount: -550 });
    expect(postingFromWire.parse({ id_by_customer: "3", date: "2026-03-14 00:00:00", postingtext: "t", amount: "10.00", debit_postingaccount_number: "10001", credit_postingaccount_number: "8400", fixed: "0", receipts_assigned_ids_by_customer: "4, 5" })).toMatchObject({
      date: "2026-03-14",
      amount: 1000,
      debitAccount: 10001,
      fixed: false,
      assignedReceiptIds: ["4", "5"],
    });
    expect(receiptFromWire.safeParse({ id_by_customer: "1", amount: "1,00" }).success).toBe(false);
  });
});

describe("error taxonomy keyed on (path, error_code)", () => {
  it("maps the codes that mean the same everywhere", () => {
    expect(bbErrorToAppError({ path: "receipts/add", status: 401, errorCode: 3, bbMessage: "" }).code).toBe("BB_CREDENTIALS_INVALID");
    expect(bbErrorToAppError({ path: "accounts/get", status: 401, errorCode: 4, bbMessage: "" }).code).toBe("BB_CREDENTIALS_INVALID");
    expect(bbErrorToAppError({ path: "accounts/get", status: 403, errorCode: 11, bbMessage: "" }).code).toBe("BB_ACCOUNT_INACTIVE");
    expect(bbErrorToAppError({ path: "receipts/add", status: 403, errorCode: 15, bbMessage: "" }).code).toBe("RATE_LIMITED");
    expect(bbErrorToAppError({ path: "receipts/add", status: 429, errorCode: null, bbMessage: "" }).code).toBe("RATE_LIMITED");
  });

  it("reads the same code differently per endpoint", () => {
    expect(bbErrorToAppError({ path: "postings/add/receipt", status: 400, errorCode: 12, bbMessage: "debtor posting is not activated" }).code).toBe("BB_DEBTOR_MODE_OFF");
    const other = bbErrorToAppError({ path: "transactions/add", status: 400, errorCode: 12, bbMessage: "?" });
    expect(other.code).toBe("UPSTREAM_REJECTED");
    const free = bbErrorToAppError({ path: "postings/add/free", status: 400, errorCode: 7, bbMessage: "invalid date specified" });
    expect(free.detail).toContain("festgeschrieben");
    expect(free.context).toEqual({ path: "postings/add/free", errorCode: 7, bbMessage: "invalid date specified", status: 400 });
  });

  it("treats 5xx, 500/0 and 504/30 as uncertain, and normalises id paths", () => {
    expect(isUncertain({ path: "x", status: 504, errorCode: 30, bbMessage: "" })).toBe(true);
    expect(isUncertain({ path: "x", status: 599, errorCode: null, bbMessage: "" })).toBe(true);
    expect(isUncertain({ path: "x", status: 400, errorCode: 20, bbMessage: "" })).toBe(false);
    expect(routeKey("receipts/get/123")).toBe("receipts/get/:id");
    expect(routeKey("receipts/get")).toBe("receipts/get");
  });
});
