import { expect, test, type Page } from "@playwright/test";
import { bbTenant, berlinDate, caughtMails, checkScreen, expectNoHorizontalScroll, launchedForSpec, lsMutate, saveScreenshot } from "./helpers";

/**
 * Issue #8 in the browser, continuing the tenant that 1-install.spec.ts installed and connected: the rest of the
 * first-time onboarding ending in a live backfill (activity log and BB sandbox), a failing sale → inbox →
 * mapping fixed → retried, the field mapper's live preview, the save bar's guard, settings with a test e-mail,
 * switching language, and axe + a screenshot of every screen.
 */
test.describe.configure({ mode: "serial" });
test.use({ locale: "de-DE" });

let page: Page;

launchedForSpec((p) => (page = p));

test("the wizard resumes at step 3 and validates each step", async () => {
  await expect(page.getByText("Schritt 3 von 7")).toBeVisible();
  await page.getByRole("checkbox", { name: /Verkäufe/ }).uncheck();
  await page.getByRole("button", { name: "Speichern und weiter" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "mindestens einen Datenfluss" })).toBeVisible();
  await page.getByRole("checkbox", { name: /Verkäufe/ }).check();
  await checkScreen(page, "wizard-3-flows");
  await page.getByRole("button", { name: "Speichern und weiter" }).click();
  await expect(page.getByText("Schritt 4 von 7")).toBeVisible();
});

test("step 4: posting mode, start date, cut-off and the default debtor", async () => {
  await page.getByLabel("Startdatum der ersten Übertragung").fill(berlinDate(1));
  await page.getByLabel("Standard-Debitor").selectOption({ label: "10001 · Laufkundschaft" });
  await checkScreen(page, "wizard-4-settings");
  await page.getByRole("button", { name: "Speichern und weiter" }).click();
  await expect(page.getByText("Schritt 5 von 7")).toBeVisible();
});

test("step 5: chart defaults, a card type on cash is flagged, one type left for later", async () => {
  await expect(page.getByText("Erkannter Kontenrahmen: SKR03")).toBeVisible();
  await expect(page.getByLabel("EC-Karte")).toHaveValue("tender:1792");
  await expect(page.getByLabel("Bar", { exact: true })).toHaveValue("tender:1000");
  await expect(page.getByLabel("Erlöskonto").first()).toHaveValue("8400");
  await page.getByLabel("EC-Karte").selectOption("tender:1000");
  await expect(page.getByTestId("card-on-cash")).toContainText("EC-Karte");
  await checkScreen(page, "wizard-5-mappings-card-on-cash");
  await page.getByLabel("EC-Karte").selectOption("tender:1792");
  await expect(page.getByTestId("card-on-cash")).toHaveCount(0);
  // "Auf Rechnung" stays unmapped for now: a sale paid on account will fail until it is mapped.
  await page.getByLabel("Auf Rechnung").selectOption("");
  await page.getByRole("button", { name: "Speichern und weiter" }).click();
  await expect(page.getByText("Schritt 6 von 7")).toBeVisible({ timeout: 30_000 });
});

test("step 6: the dry run shows receipts and totals per VAT rate and payment type, nothing sent", async () => {
  const before = await bbTenant();
  await expect(page.getByTestId("dryrun-summary")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole("table", { name: "Summen je Steuersatz" })).toContainText("19 %");
  await expect(page.getByRole("table", { name: "Summen je Zahlungsart" })).toContainText("Bar");
  await expect(page.getByRole("table", { name: "Belege, Buchungen und Zahlungen" })).toContainText("LS-");
  await expect(page.getByTestId("dryrun-summary")).toContainText("€");
  await checkScreen(page, "wizard-6-dry-run");
  const after = await bbTenant();
  expect(after.receipts.length).toBe(before.receipts.length);
  await page.getByRole("button", { name: "Sieht richtig aus – weiter" }).click();
  await expect(page.getByText("Schritt 7 von 7")).toBeVisible();
});

test("step 7: go live — the backfill runs with a progress bar and its results reach the log and BB", async () => {
  test.setTimeout(420_000);
  await page.getByRole("button", { name: "Jetzt starten" }).click();
  await expect(page.getByTestId("progress-text").or(page.getByTestId("backfill-done")).first()).toBeVisible({ timeout: 60_000 });
  if (await page.getByTestId("progress-text").isVisible()) await saveShot(page, "wizard-7-backfill-progress");
  await expect(page.getByTestId("backfill-done")).toBeVisible({ timeout: 400_000 });
  await checkScreen(page, "wizard-7-done");

  const bb = await bbTenant();
  const ours = bb.receipts.filter((r) => r.invoicenumber.startsWith("LS-"));
  expect(ours.length).toBeGreaterThan(0);

  await page.getByRole("link", { name: "Aktivität" }).first().click();
  await expect(page.getByTestId("activity-table")).toBeVisible();
  await page.getByLabel("Ergebnis").selectOption("created");
  await page.getByRole("button", { name: "Filtern" }).click();
  await expect(page.getByTestId("activity-table").getByText("übertragen").first()).toBeVisible();
  const rows = page.getByTestId("activity-table").locator("tbody tr");
  expect(await rows.count()).toBeGreaterThan(0);
  await checkScreen(page, "activity-log");
  // The first entry's detail: what came from Lightspeed, what went to BB, what BB answered.
  const firstText = (await rows.first().getByRole("cell").nth(4).innerText()).trim();
  expect(firstText).toMatch(/Posted as LS-|Already in BuchhaltungsButler/);
  await rows.first().getByRole("link").click();
  await expect(page.getByRole("region", { name: "Aus Lightspeed" })).toContainText("saleId");
  await expect(page.getByRole("region", { name: "An BuchhaltungsButler gesendet" })).toContainText("invoiceNumber");
  await expect(page.getByRole("region", { name: "Antwort von BuchhaltungsButler" })).toContainText("receiptId");
  const invoice = /"invoiceNumber": "([^"]+)"/.exec(await page.getByRole("region", { name: "An BuchhaltungsButler gesendet" }).innerText())?.[1];
  expect(ours.map((r) => r.invoicenumber)).toContain(invoice);
  await checkScreen(page, "activity-detail");
});

const saveShot = saveScreenshot;

let failingSaleId = 0;

test("a sale paid on account fails with an inbox notification (unmapped payment type)", async () => {
  test.setTimeout(180_000);
  failingSaleId = (await lsMutate({ action: "addSale", kind: "on-account" })).id;
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Übersicht" })).toBeVisible();
  await page.getByTestId("flow-orders").getByRole("button", { name: "Jetzt synchronisieren" }).click();
  await expect(page.getByTestId("bell-count")).toBeVisible({ timeout: 120_000 });
  await page.getByRole("link", { name: /Benachrichtigungen: \d+ ungelesen/ }).click();
  const item = page.getByTestId("inbox-item").filter({ hasText: "Auf Rechnung" }).filter({ hasText: `Mappings → Payment types` }).first();
  await expect(item).toBeVisible();
  await expect(item).toContainText("Eine Zuordnung fehlt");
  await checkScreen(page, "inbox");
});

test("fixing the mapping and retrying books the sale", async () => {
  test.setTimeout(240_000);
  await page.getByRole("link", { name: "Zuordnungen" }).first().click();
  await expect(page.getByLabel("Auf Rechnung")).toHaveValue("");
  await page.getByLabel("Auf Rechnung").selectOption("on_account");
  await expect(page.getByRole("region", { name: "Speicherleiste" })).toContainText("Ungespeicherte Änderungen");
  await page.getByRole("region", { name: "Speicherleiste" }).getByRole("button", { name: "Speichern" }).click();
  await expect(page.getByRole("region", { name: "Speicherleiste" })).toContainText("Gespeichert.");

  await page.getByRole("link", { name: "Benachrichtigungen", exact: true }).click();
  await expect(page).toHaveURL(/\/notifications/);
  const items = page.getByTestId("inbox-item").filter({ hasText: "Auf Rechnung" });
  await expect(items.first()).toBeVisible();
  const n = await items.count();
  expect(n).toBeGreaterThan(0);
  for (let i = 0; i < n; i++) await items.nth(i).getByRole("button", { name: /erneut versuchen|Erneut versuchen/ }).click().then(() => page.waitForTimeout(300));
  // The retries run in the background; the fixed problems leave the inbox.
  await expect(async () => {
    await page.reload();
    expect(await page.getByTestId("inbox-item").filter({ hasText: "Auf Rechnung" }).count()).toBe(0);
  }).toPass({ timeout: 200_000, intervals: [2_000, 5_000] });

  await page.goto(`/activity?q=${failingSaleId}`);
  await expect(page.getByTestId("activity-table").getByText("übertragen").first()).toBeVisible();
  await expect(page.getByTestId("activity-table").getByText("fehlgeschlagen").first()).toBeVisible();
});

test("the field mapper previews a real record and the preview follows an edit; leaving asks", async () => {
  await page.goto("/mappings#fields");
  const name = page.getByTestId("preview-customer-name");
  await expect(name).toBeVisible();
  const before = (await name.innerText()).trim();
  expect(before.length).toBeGreaterThan(1);
  const rule = page.getByTestId("rule-name").first();
  await rule.getByRole("combobox", { name: "Umwandlung hinzufügen …" }).selectOption("case");
  await rule.getByRole("combobox", { name: "Groß-/Kleinschreibung" }).selectOption("upper");
  await expect(name).toHaveText(before.toLocaleUpperCase("de-DE"));
  await rule.getByRole("combobox", { name: "Groß-/Kleinschreibung" }).selectOption("lower");
  await expect(name).toHaveText(before.toLocaleLowerCase("de-DE"));
  await checkScreen(page, "mappings-field-mapper");

  // Unsaved changes: leaving asks; cancelling keeps the page.
  let asked = "";
  page.once("dialog", (d) => {
    asked = d.message();
    void d.dismiss();
  });
  await page.getByRole("link", { name: "Aktivität" }).first().click();
  expect(asked).toContain("ungespeicherte Änderungen");
  await expect(page).toHaveURL(/\/mappings/);
  await page.getByRole("button", { name: "Verwerfen" }).first().click();
  await expect(name).toHaveText(before);
});

test("dashboard: status light, chart, rate budget, reconciliation with drill-down", async () => {
  await page.goto("/");
  await expect(page.getByTestId("flow-orders").getByTestId("flow-light")).toHaveText(/läuft|Achtung/);
  await expect(page.getByRole("img", { name: /Übertragene und fehlerhafte Datensätze/ })).toBeVisible();
  await expect(page.getByTestId("rate-budget")).toContainText("Lightspeed");
  const day = page.getByTestId(`recon-${berlinDate(1)}`);
  await expect(day).toBeVisible({ timeout: 60_000 });
  await day.locator("summary").click();
  await expect(day.getByRole("table")).toContainText("Umsatz brutto");
  await checkScreen(page, "dashboard");
});

test("every screen fits the 1024 px back office and a phone", async () => {
  for (const [width, height, label] of [[1024, 768, "1024"], [390, 844, "phone"]] as const) {
    await page.setViewportSize({ width, height });
    for (const [path, name] of [["/", "dashboard"], ["/setup", "setup"], ["/mappings", "mappings"], ["/activity", "activity"], ["/notifications", "notifications"], ["/settings", "settings"]] as const) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      if (path === "/") await page.locator("details summary").first().click();
      await expectNoHorizontalScroll(page);
      if (name === "dashboard" || name === "activity") await saveShot(page, `${name}-${label}`);
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });
});

test("settings: notification e-mail with a test e-mail that reaches the catcher", async () => {
  await page.goto("/settings");
  await page.getByLabel("E-Mail-Adresse (leer lassen für keine E-Mails)").fill("inhaber@musterladen.example");
  await page.getByRole("region", { name: "Speicherleiste" }).getByRole("button", { name: "Speichern" }).click();
  await expect(page.getByRole("region", { name: "Speicherleiste" })).toContainText("Gespeichert.");
  await page.reload();
  await page.getByRole("button", { name: "Test-E-Mail senden" }).click();
  await expect(page.getByText("Test-E-Mail an inhaber@musterladen.example gesendet.")).toBeVisible();
  await expect(async () => {
    const mails = await caughtMails();
    expect(mails.some((m) => m.to.includes("inhaber@musterladen.example") && m.subject.includes("Test-E-Mail"))).toBe(true);
  }).toPass({ timeout: 10_000 });
  await checkScreen(page, "settings");
});

test("settings: an erasure request says what to fix next to the field, and that BuchhaltungsButler keeps the books", async () => {
  await page.goto("/settings");
  const erase = page.getByRole("region", { name: "Daten einer Kundin oder eines Kunden löschen (Art. 17 DSGVO)" });
  await expect(erase).toContainText("§ 147 AO");
  await erase.getByLabel("E-Mail-Adresse oder Lightspeed-Kundennummer").fill("kein-kunde");
  await erase.getByRole("button", { name: "Personendaten löschen" }).click();
  await expect(erase.getByRole("alert")).toContainText("E-Mail-Adresse oder eine Lightspeed-Kundennummer");
  await erase.getByLabel("E-Mail-Adresse oder Lightspeed-Kundennummer").fill("niemand@example.com");
  await erase.getByRole("button", { name: "Personendaten löschen" }).click();
  await expect(erase).toContainText("nichts gespeichert");
  await expect(erase).not.toContainText("no record");
  await checkScreen(page, "settings-erase");
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await saveScreenshot(page, "settings-phone");
  await page.setViewportSize({ width: 1280, height: 900 });
});

test("switching the language to English", async () => {
  await page.goto("/");
  await page.getByLabel("Sprache").selectOption("en");
  await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Activity" })).toBeVisible();
  await checkScreen(page, "dashboard-en");
  await page.goto("/activity");
  await expect(page.getByRole("heading", { name: "Activity", level: 1 })).toBeVisible();
  await checkScreen(page, "activity-en");
  await page.goto("/notifications");
  await checkScreen(page, "notifications-en");
  await page.goto("/mappings");
  await expect(page.getByRole("heading", { name: "Mappings", level: 1 })).toBeVisible();
  await checkScreen(page, "mappings-en");
  await page.goto("/setup");
  await checkScreen(page, "setup-en");
  await page.goto("/settings");
  await expect(page.getByRole("heading", { name: "Erase a customer's data (Art. 17 GDPR)" })).toBeVisible();
  await checkScreen(page, "settings-en");
  await page.setViewportSize({ width: 390, height: 844 });
  await saveScreenshot(page, "settings-en-phone");
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto("/setup");
  await page.getByLabel("Language").selectOption("de");
  await expect(page.getByRole("heading", { name: "Einrichtung", level: 1 })).toBeVisible();
});
