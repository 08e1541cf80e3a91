import { expect, test, type Page } from "@playwright/test";
import { bbTenant, checkScreen, expectNoHorizontalScroll, launchedForSpec, lsMutate, saveScreenshot } from "./helpers";

/**
 * Issue #14 as a merchant sees it, continuing the tenant of 1-install and 2-merchant: the mapping screen's
 * tax-free account, gift-card kinds and advance-payment accounts (Anzahlungen), the open-items comparison on the
 * dashboard, the "changes after transfer" setting, and the inbox item an ignored edit raises — in German and
 * English, at 1280 px and on a phone.
 */
test.describe.configure({ mode: "serial" });
test.use({ locale: "de-DE" });

let page: Page;

launchedForSpec((p) => (page = p));

const saveBar = () => page.getByRole("region", { name: "Speicherleiste" });

test("mapping screen: deposits per VAT rate show the chart's accounts, a wrong one is refused next to the field, a changed one is saved and read back", async () => {
  await page.goto("/mappings");
  const deposits = page.getByRole("group", { name: "Anzahlungen" });
  await expect(deposits).toContainText("mit Umsatzsteuer");
  await expect(deposits.getByLabel("Anzahlungen mit 19 % USt")).toHaveValue("1718");
  await expect(deposits.getByLabel("Anzahlungen mit 7 % USt")).toHaveValue("1711");
  await expect(deposits.getByLabel("Anzahlungen ohne USt")).toHaveValue("1710");

  await deposits.getByLabel("Anzahlungen mit 7 % USt").fill("17x1");
  await saveBar().getByRole("button", { name: "Speichern" }).click();
  await expect(deposits.getByRole("alert")).toHaveText("Bitte eine Kontonummer aus 3 bis 9 Ziffern eingeben.");
  await expect(deposits.getByLabel("Anzahlungen mit 7 % USt")).toHaveAccessibleDescription("Bitte eine Kontonummer aus 3 bis 9 Ziffern eingeben.");
  await checkScreen(page, "books-mappings-deposit-error");

  await deposits.getByLabel("Anzahlungen mit 7 % USt").fill("1712");
  await saveBar().getByRole("button", { name: "Speichern" }).click();
  await expect(saveBar()).toContainText("Gespeichert.");
  await page.reload();
  await expect(page.getByRole("group", { name: "Anzahlungen" }).getByLabel("Anzahlungen mit 7 % USt")).toHaveValue("1712");
  // Back to the chart's account, so the books of this tenant stay on the defaults.
  await page.getByRole("group", { name: "Anzahlungen" }).getByLabel("Anzahlungen mit 7 % USt").fill("1711");
  await saveBar().getByRole("button", { name: "Speichern" }).click();
  await expect(saveBar()).toContainText("Gespeichert.");

  await expect(page.getByLabel("Erlöskonto", { exact: true }).last()).toHaveValue("8100");
  // Lightspeed's kinds of payment type in German, not its codes.
  await expect(page.getByRole("row", { name: /^Bar/ })).toContainText("(Bargeld)");
  await expect(page.locator("#payments")).not.toContainText("(credit card)");
  // The single-purpose voucher's rate and account only appear when single-purpose is chosen.
  const giftCards = page.getByRole("group", { name: "Gutscheine" });
  await expect(giftCards.getByRole("radio", { name: /^Mehrzweckgutschein/ })).toBeChecked();
  await expect(giftCards.getByLabel("Steuersatz des Einzweckgutscheins")).toHaveCount(0);
  await giftCards.getByRole("radio", { name: /^Einzweckgutschein/ }).check();
  await expect(giftCards.getByLabel("Erlöskonto beim Verkauf (Einzweck)")).toHaveValue("8400");
  await checkScreen(page, "books-mappings-single-purpose");
  await saveBar().getByRole("button", { name: "Verwerfen" }).click();
  await expect(giftCards.getByRole("radio", { name: /^Mehrzweckgutschein/ })).toBeChecked();
});

test("settings: changes after transfer default to 'reverse and post again'; switching to 'don't book' is saved", async () => {
  await page.goto("/settings");
  const edits = page.getByLabel("Änderungen nach der Übertragung");
  await expect(edits.locator("option:checked")).toHaveText("stornieren und neu buchen (empfohlen)");
  await edits.selectOption("ignore");
  await saveBar().getByRole("button", { name: "Speichern" }).click();
  await expect(saveBar()).toContainText("Gespeichert.");
  await page.reload();
  await expect(page.getByLabel("Änderungen nach der Übertragung")).toHaveValue("ignore");
});

/** A new sale at the till, synced; returns its id once the activity log shows it booked. */
async function bookedSale(): Promise<number> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const { id } = await lsMutate({ action: "addSale", kind: "normal" });
    await page.goto("/");
    await page.getByTestId("flow-orders").getByRole("button", { name: "Jetzt synchronisieren" }).click();
    let booked = false;
    await expect(async () => {
      await page.goto(`/activity?q=${id}`);
      const rows = page.getByTestId("activity-table").locator("tbody tr");
      expect(await rows.count()).toBeGreaterThan(0);
      booked = (await page.getByTestId("activity-table").getByText("übertragen").count()) > 0;
    }).toPass({ timeout: 120_000, intervals: [2_000, 5_000] });
    // A sale paid with a type left unmapped fails instead; take another.
    if (booked) return id;
  }
  throw new Error("no sale got booked in five attempts");
}

test("an edit after posting with 'don't book' leaves BB alone and puts a clear item in the inbox", async () => {
  test.setTimeout(420_000);
  const saleId = await bookedSale();
  // Cash re-entered as card at the till (or card as cash): a different cash book.
  const moved = await lsMutate({ action: "editSalePayment", saleId, paymentTypeId: 2 }).catch(() => lsMutate({ action: "editSalePayment", saleId, paymentTypeId: 1 }));
  expect(moved.id).toBe(saleId);
  await page.goto("/");
  await page.getByTestId("flow-orders").getByRole("button", { name: "Jetzt synchronisieren" }).click();
  const item = page.getByTestId("inbox-item").filter({ hasText: "nach der Buchung geändert und nicht neu gebucht" });
  await expect(async () => {
    await page.goto("/notifications");
    await expect(item).toHaveCount(1);
  }).toPass({ timeout: 180_000, intervals: [2_000, 5_000] });
  // Only the payment type changed: the text says so instead of "still 151,59 €, now 151,59 €".
  await expect(item).toContainText("blieb gleich, aber z. B. die Zahlungsart");
  await expect(item).toContainText("stimmen Kassenbuch bzw. Umsatzsteuer für diesen Verkauf nicht mit der Kasse überein");
  await expect(item).toContainText("„Erneut versuchen“");
  await expect(item).not.toContainText("SALE_EDIT_IGNORED");
  await checkScreen(page, "books-inbox-edit-ignored");
});

test("dashboard: open items are compared on request and agree", async () => {
  test.setTimeout(180_000);
  await page.goto("/");
  await page.getByRole("link", { name: "Offene Posten abgleichen" }).click();
  await expect(page.getByTestId("open-items")).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId("open-items")).toContainText(/stimmt|stimmen/);
  await expect(page.getByTestId("open-items")).toContainText("Debitor 1");
  await expect(page.getByTestId("open-items").getByRole("table")).toContainText("€");
  await checkScreen(page, "books-dashboard-open-items");
});

/** The screens of this file (and the stock page) at desktop width and on a phone, in the language the account is set to. */
async function walk(lang: "de" | "en") {
  const screens = [
    ["/mappings#payments", "mappings"],
    ["/?openItems=1", "dashboard-open-items"],
    ["/settings", "settings"],
    ["/stock", "stock"],
    // Last: the English walk switches back to German here.
    ["/notifications", "inbox"],
  ] as const;
  for (const [width, height] of [[1280, 900], [390, 844]] as const) {
    await page.setViewportSize({ width, height });
    for (const [path, name] of screens) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      if (name === "dashboard-open-items") {
        // Streamed sections arrive in a hidden copy first: wait until both have settled, then one comparison is shown.
        await expect(page.locator("[aria-busy=true]")).toHaveCount(0, { timeout: 120_000 });
        await expect(page.getByTestId("open-items")).toHaveCount(1);
        await expect(page.getByTestId("open-items")).toBeVisible();
      }
      await expectNoHorizontalScroll(page);
      if (width === 1280) await checkScreen(page, `books-${name}-${lang}-1280`);
      else await saveScreenshot(page, `books-${name}-${lang}-390`);
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test("German: every screen of #14 at 1280 px and 390 px", async () => {
  test.setTimeout(300_000);
  await walk("de");
  await page.goto("/mappings");
  await expect(page.getByRole("group", { name: "Anzahlungen" })).toBeVisible();
  await expect(page.getByText("Steuerfreie Artikel (in Lightspeed ohne Steuer)")).toBeVisible();
});

test("English: every screen of #14 at 1280 px and 390 px, then back to German", async () => {
  test.setTimeout(300_000);
  await page.goto("/");
  await page.getByLabel("Sprache").selectOption("en");
  await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
  await page.goto("/mappings");
  const deposits = page.getByRole("group", { name: "Deposits" });
  await expect(deposits).toContainText("with VAT on the day they are paid");
  await expect(deposits.getByLabel("Deposits with 19 % VAT")).toHaveValue("1718");
  await expect(deposits.getByLabel("Deposits without VAT")).toHaveValue("1710");
  await page.goto("/settings");
  await expect(page.getByLabel("Changes after transfer")).toHaveValue("ignore");
  await page.goto("/notifications");
  await expect(page.getByTestId("inbox-item").filter({ hasText: "was changed after it was posted and not booked again" })).toHaveCount(1);
  await walk("en");
  await page.getByLabel("Language").selectOption("de");
  await expect(page.getByRole("heading", { name: "Benachrichtigungen", level: 1 })).toBeVisible();
});

test("after switching to 'reverse and post again', Retry on the item books the change and the item leaves the inbox", async () => {
  test.setTimeout(240_000);
  await page.goto("/notifications");
  const item = page.getByTestId("inbox-item").filter({ hasText: "nach der Buchung geändert und nicht neu gebucht" });
  const invoice = /Beleg (LS-[\d-]+) gebucht/.exec(await item.innerText())?.[1];
  expect(invoice).toBeTruthy();
  await page.goto("/settings");
  await page.getByLabel("Änderungen nach der Übertragung").selectOption("repost");
  await saveBar().getByRole("button", { name: "Speichern" }).click();
  await expect(saveBar()).toContainText("Gespeichert.");
  await page.goto("/notifications");
  await item.getByRole("button", { name: "Erneut versuchen" }).click();
  await expect(item.getByText("Der Datensatz wird erneut übertragen.")).toBeVisible();
  await expect(async () => {
    await page.reload();
    await expect(item).toHaveCount(0);
  }).toPass({ timeout: 180_000, intervals: [2_000, 5_000] });
  // What lands in BB: the sale reversed and posted again as <invoice>-K1 with its new payment.
  const bb = await bbTenant();
  expect(bb.receipts.map((r) => r.invoicenumber)).toContain(`${invoice}-K1`);
});
