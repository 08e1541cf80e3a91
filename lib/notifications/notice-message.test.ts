import { describe, expect, it } from "vitest";
import { createTestTenant, testDb } from "@/scripts/test/db";
import { getNotification } from "./list-notifications";
import { renderNotice, type NoticeMessage } from "./notice-message";
import { raiseNotification } from "./raise-notification";

const database = testDb();

const shown = (code: string, message: NoticeMessage | null, locale: "de" | "en", legacy = { title: "", fixHint: null as string | null }) => renderNotice({ code, message, ...legacy }, locale);

describe("inbox notices as code + parameters", () => {
  it("render in the viewer's language", () => {
    const job: NoticeMessage = { code: "job_failed", params: { flow: "stock", error: "UPSTREAM_UNAVAILABLE" } };
    expect(shown("UPSTREAM_UNAVAILABLE", job, "de")).toEqual({
      headline: "Der andere Dienst ist gerade nicht erreichbar. Wir versuchen es automatisch erneut.",
      text: "Die Synchronisierung des Bestands ist fehlgeschlagen: Der andere Dienst ist gerade nicht erreichbar. Wir versuchen es automatisch erneut.",
      fixHint: "Wir versuchen es beim nächsten Lauf automatisch erneut.",
    });
    expect(shown("UPSTREAM_UNAVAILABLE", job, "en").text).toMatch(/^Syncing stock failed: /);
    const sku: NoticeMessage = { code: "sku_duplicate", params: { sku: "DUP", heldBy: "7", itemId: "20", assigned: "S20" } };
    expect(shown("SKU_DUPLICATE", sku, "de").headline).toBe("Die Artikelnummer „DUP“ wird von mehr als einem Lightspeed-Artikel verwendet");
    expect(shown("SKU_DUPLICATE", sku, "en").text).toBe('Item 7 keeps SKU "DUP" (it is older); item 20 is registered as "S20" instead. Nothing was merged.');
    const edit: NoticeMessage = { code: "sale_edit_ignored", params: { reference: "220001", invoiceNumber: "LS-1-220001", postedCents: 1000, nowCents: 123456 } };
    expect(shown("SALE_EDIT_IGNORED", edit, "de").headline).toBe("Verkauf 220001 wurde nach der Buchung geändert und nicht neu gebucht");
    expect(shown("SALE_EDIT_IGNORED", edit, "de").text).toMatch(/^In BuchhaltungsButler steht der Beleg LS-1-220001 weiter mit 10,00\s€; in Lightspeed beträgt der Verkauf jetzt 1\.234,56\s€\./);
    expect(shown("SALE_EDIT_IGNORED", edit, "en").text).toMatch(/^BuchhaltungsButler still has receipt LS-1-220001 at €10\.00; in Lightspeed the sale is now €1,234\.56\./);
    // A tender moved from cash to card keeps the total: the text must not read "still 10 €, now 10 €".
    const moved: NoticeMessage = { code: "sale_edit_ignored", params: { ...edit.params, nowCents: 1000 } };
    expect(shown("SALE_EDIT_IGNORED", moved, "de").text).toMatch(/^Der Verkauf wurde in Lightspeed geändert, nachdem er als Beleg LS-1-220001 gebucht war – der Betrag \(10,00\s€\) blieb gleich, aber z\. B\. die Zahlungsart/);
    expect(shown("SALE_EDIT_IGNORED", moved, "en").text).toMatch(/^The sale was changed in Lightspeed after it was posted as receipt LS-1-220001 – the amount \(€10\.00\) stayed the same/);
    expect(shown("SALE_EDIT_IGNORED", moved, "de").fixHint).toContain("„Erneut versuchen“");
  });

  it("show an error's own detail and fix as raised, but never an internal error's detail", () => {
    const record: NoticeMessage = { code: "record_failed", params: { error: "MAPPING_MISSING", detail: "payment type Klarna", fixHint: "Map it" } };
    expect(shown("MAPPING_MISSING", record, "en")).toEqual({ headline: "A mapping is missing, so this record could not be booked.", text: "payment type Klarna", fixHint: "Map it" });
    const internal: NoticeMessage = { code: "job_failed", params: { flow: "orders", error: "INTERNAL", detail: "TypeError at line 3" } };
    expect(shown("INTERNAL", internal, "en").text).not.toContain("TypeError");
  });

  it("keep rendering rows stored as finished text before messages existed", () => {
    expect(shown("MAPPING_MISSING", null, "en", { title: "Zahlungsart PayPal fehlt", fixHint: "Zuordnen" })).toEqual({
      headline: "A mapping is missing, so this record could not be booked.",
      text: "Zahlungsart PayPal fehlt",
      fixHint: "Zuordnen",
    });
    expect(shown("SOMETHING_NEW", null, "de", { title: "x", fixHint: null }).headline).toBe("SOMETHING_NEW");
  });

  it("are stored as the message (with an English fallback text) and read back parsed", async () => {
    const t = await createTestTenant(database);
    const message: NoticeMessage = { code: "category_parents_missing", params: {} };
    const { id } = await raiseNotification(database, { tenantId: t, severity: "error", code: "MAPPING_MISSING", message, link: "/mappings", flow: "products", dedupeKey: "category-accounts:parents" });
    const n = await getNotification(database, t, id);
    expect(n?.message).toEqual(message);
    expect(n?.title).toMatch(/^Categories → revenue accounts/);
    expect(renderNotice(n!, "de").text).toMatch(/^Kategorien → Erlöskonten/);
    // A row whose stored message this version does not know falls back to its text.
    await database.updateTable("notifications").set({ message: JSON.stringify({ code: "from_the_future", params: {} }) }).where("id", "=", id).execute();
    const unknown = await getNotification(database, t, id);
    expect(unknown?.message).toBeNull();
    expect(renderNotice(unknown!, "de").text).toBe(n!.title);
  });
});
