import { expect, test, type Page } from "@playwright/test";
import { checkScreen, launchedForSpec, saveScreenshot } from "./helpers";

/**
 * Issue #17.4 in the browser, on the live tenant 2-merchant.spec.ts onboarded: the stock flow switched on in the
 * settings and synced from the dashboard, the stock page per shop with search, and the formula and "managed in
 * BuchhaltungsButler" chosen on the stock page with errors next to the field.
 */
test.describe.configure({ mode: "serial" });
test.use({ locale: "de-DE" });

let page: Page;

launchedForSpec((p) => (page = p));

const stockTable = () => page.getByRole("table", { name: "Bestand" });
const saveBar = () => page.getByRole("region", { name: "Speicherleiste" });

test("stock: switched on in the settings and synced, the stock page lists the shop's items and finds one by SKU", async () => {
  test.setTimeout(300_000);
  await page.goto("/settings");
  // Products too: the stock page names items (SKU, description) from the product register.
  let changed = false;
  for (const name of ["products.enabled", "stock.enabled"]) {
    const box = page.locator(`input[name="${name}"]`);
    if (await box.isChecked()) continue;
    await box.check();
    changed = true;
  }
  if (changed) {
    await saveBar().getByRole("button", { name: "Speichern" }).click();
    await expect(saveBar()).toContainText("Gespeichert.");
  }
  await page.goto("/");
  for (const flow of ["products", "stock"]) {
    const card = page.getByTestId(`flow-${flow}`);
    await card.getByRole("button", { name: "Jetzt synchronisieren" }).click();
  }

  await page.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: "Bestand" }).click();
  await expect(page.getByRole("heading", { name: "Bestand", level: 1 })).toBeVisible();
  // Rows once the ledger is read; names once the register is (the two runs are independent).
  await expect(async () => {
    await page.reload();
    const first = stockTable().locator("tbody tr").first().locator("th span");
    await expect(first.nth(1)).not.toHaveText("—", { timeout: 1_000 });
  }).toPass({ timeout: 240_000, intervals: [3_000] });
  await expect(page.getByText("Verfügbar berechnet als: Lagerbestand minus Reservierungen (empfohlen)")).toBeVisible();
  await expect(page.getByText("Der Bestand wird nicht in BuchhaltungsButler geführt")).toBeVisible();

  // One shop, then one SKU in it.
  const shop = page.getByLabel("Filiale", { exact: true });
  const shopName = (await shop.locator("option").nth(1).textContent())!;
  await shop.selectOption({ index: 1 });
  await page.getByRole("button", { name: "Anzeigen" }).click();
  await expect(page.getByRole("heading", { name: `Bestand: ${shopName}` })).toBeVisible();
  const sku = (await stockTable().locator("tbody tr").first().locator("th span").first().textContent())!.trim();
  await page.getByLabel("Suche", { exact: true }).fill(sku);
  await page.getByRole("button", { name: "Anzeigen" }).click();
  await expect(stockTable().locator("tbody tr").first()).toContainText(sku);
  expect(page.url()).toContain(`q=${encodeURIComponent(sku)}`);
  await checkScreen(page, "stock");
});

test("stock: formula and 'managed in BuchhaltungsButler' are saved on the stock page; a wrong account is refused next to the field", async () => {
  await page.goto("/stock");
  await page.getByLabel("Verfügbaren Bestand berechnen als").selectOption("on_hand");
  await page.getByLabel("Bestand wird in BuchhaltungsButler geführt").check();
  await page.getByLabel("Bestandskonto (Waren)").fill("3980");
  await page.getByLabel("Konto Bestandsveränderungen").fill("3980");
  await saveBar().getByRole("button", { name: "Speichern" }).click();
  await expect(page.locator("#stock-settings-stockChangeAccount-error")).toContainText("verschieden vom Bestandskonto");
  await checkScreen(page, "stock-settings-error");

  await page.getByLabel("Bestandskonto (Waren)").fill("");
  await page.getByLabel("Konto Bestandsveränderungen").fill("");
  await saveBar().getByRole("button", { name: "Speichern" }).click();
  await expect(saveBar()).toContainText("Gespeichert.");

  await page.reload();
  await expect(page.getByText("Verfügbar berechnet als: Lagerbestand (auch negativ)")).toBeVisible();
  await expect(page.getByLabel("Bestand wird in BuchhaltungsButler geführt")).toBeChecked();
  await expect(page.getByText("Noch keine Bewertung")).toBeVisible();
  // The chart detected at connect gives the defaults the valuation will post to.
  await expect(page.getByLabel("Bestandskonto (Waren)")).toHaveAttribute("placeholder", /leer = Standard (3980|1140)/);
  await expect(page.getByRole("link", { name: "Buchungen im Aktivitätsprotokoll" })).toHaveAttribute("href", /flow=stock/);
  await checkScreen(page, "stock-managed");

  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1);
  await saveScreenshot(page, "stock-phone");
  await page.setViewportSize({ width: 1280, height: 900 });
});

test("stock: the page in English", async () => {
  await page.goto("/stock");
  await page.getByLabel("Sprache").selectOption("en");
  await expect(page.getByRole("heading", { name: "Stock", level: 1 })).toBeVisible();
  await expect(page.getByText("Available computed as: On hand (may be negative)")).toBeVisible();
  await checkScreen(page, "stock-en");
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await saveScreenshot(page, "stock-en-phone");
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.getByLabel("Language").selectOption("de");
  await expect(page.getByRole("heading", { name: "Bestand", level: 1 })).toBeVisible();
});
