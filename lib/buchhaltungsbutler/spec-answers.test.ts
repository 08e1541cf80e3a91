import { describe, expect, it } from "vitest";
import { testDb } from "@/scripts/test/db";
import { bbErrorToAppError, isThrottle } from "./errors";
import { connect, testSandbox } from "./test-helpers";

/** Issue 16 items 6 and 7 from the client's side: read-backs and throttle classification. */
const database = testDb();
const strict = await testSandbox();
const lenient = await testSandbox({ strictness: { unknownReceiptId: "empty" } });
const seed = { debtors: [{ number: 10003, name: "Max Mustermann" }], paymentAccounts: [{ number: 1000, name: "Kasse", type: "cash" as const }] };

describe("getReceipt of an id BB does not know (item 6)", () => {
  it.each([["400/5 (the spec)", strict], ["200 with empty data", lenient]] as const)("is null when BB answers %s", async (_, sb) => {
    const { client } = await connect(database, sb, seed);
    expect(await client.getReceipt("987654")).toBeNull();
    expect(await client.getTransaction("987654")).toBeNull();
  });
});

describe("throttle classification by endpoint (item 7)", () => {
  it("403/15 on an adding endpoint and any 429 are throttles", () => {
    expect(isThrottle({ path: "postings/add-batch/receipts", status: 403, errorCode: 15, bbMessage: "adding temporarily restricted" })).toBe(true);
    expect(isThrottle({ path: "receipts/upload", status: 403, errorCode: 15, bbMessage: "upload is temporarily restricted" })).toBe(true);
    expect(isThrottle({ path: "settings/get/debtors", status: 429, errorCode: null, bbMessage: "Too Many Requests" })).toBe(true);
  });

  it("400/15 on receipts/get is an invalid sort field, not a throttle", () => {
    const info = { path: "receipts/get", status: 400, errorCode: 15, bbMessage: "invalid sort field is specified" };
    expect(isThrottle(info)).toBe(false);
    expect(bbErrorToAppError(info).code).toBe("UPSTREAM_REJECTED");
  });
});
