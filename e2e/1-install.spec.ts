import { expect, test, type Page } from "@playwright/test";
import { checkScreen, launchFromBackOffice, lsSandbox } from "./helpers";

/**
 * Issue #5 in the browser: install from the Lightspeed back office, OAuth consent, the setup wizard with the
 * BuchhaltungsButler connection, sign-out and return via the Custom Menu Button, and every error page.
 * The tests of this file run in order and share one Lightspeed account (the sandbox's).
 */
test.describe.configure({ mode: "serial" });
test.use({ locale: "de-DE" });

async function startInstall(page: Page) {
  await page.goto(`${lsSandbox()}/__sandbox/backoffice`);
  await page.getByRole("link", { name: "Install Butlerbridge" }).click();
  await expect(page.getByRole("heading", { name: /Authorize/ })).toBeVisible();
}

test("denied consent ends on a clear error page and creates nothing", async ({ page }) => {
  await startInstall(page);
  await page.getByRole("button", { name: "Deny" }).click();
  await expect(page.getByRole("heading", { name: "Verbindung mit Lightspeed fehlgeschlagen" })).toBeVisible();
  await expect(page.getByText("Es wurde nichts eingerichtet.")).toBeVisible();
  await checkScreen(page, "auth-error-denied");
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Bitte anmelden" })).toBeVisible();
});

test("a callback with a wrong state is refused with an error page", async ({ page }) => {
  await startInstall(page);
  // Consent is given, but the state that comes back is not the one we sent: the consent answer (a redirect to
  // our callback) is rewritten on its way to the browser.
  await page.route(/\/auth\/oauth\/authorize$/, async (route) => {
    if (route.request().method() !== "POST") return route.continue();
    const answer = await route.fetch({ maxRedirects: 0 });
    const location = new URL(answer.headers()["location"]!);
    location.searchParams.set("state", "forged-state-value");
    await route.fulfill({ status: 302, headers: { location: location.toString() } });
  });
  await page.getByRole("button", { name: "Authorize" }).click();
  await expect(page.getByRole("heading", { name: "Verbindung mit Lightspeed fehlgeschlagen" })).toBeVisible();
  await page.unroute(/\/auth\/oauth\/authorize$/);
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Bitte anmelden" })).toBeVisible();
});

let callbackUrl = "";

test("install → consent → wizard → connect BuchhaltungsButler → the detected chart is shown", async ({ page }) => {
  page.on("request", (r) => {
    if (r.url().includes("/api/auth/callback/lightspeed?")) callbackUrl = r.url();
  });
  await startInstall(page);
  await page.getByRole("button", { name: "Authorize" }).click();
  await page.waitForURL(/\/setup/);
  await expect(page.getByRole("heading", { name: "Einrichtung" })).toBeVisible();
  // A first install lands on step 1; a reinstall resumes where it was. Look at step 1 either way.
  await page.goto("/setup?step=1");
  await expect(page.getByTestId("ls-account-name")).toContainText("Musterladen");
  await expect(page.getByTestId("ls-shops")).toContainText("Europe/Berlin");
  await checkScreen(page, "wizard-1-lightspeed");
  await page.getByRole("button", { name: "Weiter" }).click();

  await expect(page.getByRole("heading", { name: "BuchhaltungsButler", level: 2 })).toBeVisible();
  // A wrong key first: its own message, nothing saved.
  await page.getByRole("textbox", { name: "API Key" }).fill("not-the-right-key-123");
  await page.getByRole("button", { name: "Verbinden und prüfen" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Zugangsdaten nicht akzeptiert" })).toBeVisible();
  await page.getByRole("textbox", { name: "API Key" }).fill("musterladen-partner-key-0001");
  await page.getByRole("button", { name: "Verbinden und prüfen" }).click();
  await expect(page.getByTestId("bb-chart")).toHaveText("SKR03");
  await expect(page.getByTestId("bb-status")).toContainText("Verbunden");
  await checkScreen(page, "wizard-2-buchhaltungsbutler");
  await page.getByRole("button", { name: "Weiter" }).click();
  await expect(page.getByText("Schritt 3 von 7")).toBeVisible();
  expect(callbackUrl).toContain("code=");
});

test("a replayed authorization code is refused", async ({ browser }) => {
  // A fresh browser (no session): the code from the install above is used a second time.
  const context = await browser.newContext({ locale: "de-DE" });
  const page = await context.newPage();
  await page.goto(callbackUrl);
  await expect(page.getByRole("heading", { name: "Verbindung mit Lightspeed fehlgeschlagen" })).toBeVisible();
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Bitte anmelden" })).toBeVisible();
  await context.close();
});

test("sign out, then back in with the Custom Menu Button", async ({ page }) => {
  await launchFromBackOffice(page);
  await expect(page).toHaveURL(/\/setup/);
  await page.getByRole("button", { name: "Abmelden" }).click();
  await expect(page.getByRole("heading", { name: "Bitte anmelden" })).toBeVisible();
  await launchFromBackOffice(page);
  await expect(page.getByRole("heading", { name: "Einrichtung" })).toBeVisible();
  // Resumes where the merchant left off.
  await expect(page.getByText("Schritt 3 von 7")).toBeVisible();
});

test("a tampered launch URL gets the 401 page", async ({ page }) => {
  // The back office's button answers with a redirect to our /launch; read it without following.
  await page.goto(`${lsSandbox()}/__sandbox/backoffice`);
  const account = await page.locator('form[action="/__sandbox/backoffice/launch"] input[name="account"]').first().inputValue();
  const res = await fetch(`${lsSandbox()}/__sandbox/backoffice/launch?account=${account}&register=1&sale=0`, { redirect: "manual" });
  const target = res.headers.get("location") ?? "";
  expect(target).toContain("/launch?");
  const tampered = new URL(target);
  tampered.searchParams.set("accountID", String(Number(tampered.searchParams.get("accountID") ?? "1") + 1));
  const response = await page.goto(tampered.toString());
  expect(response?.status()).toBe(401);
  await expect(page.getByRole("heading", { name: "Anmeldung aus Lightspeed fehlgeschlagen" })).toBeVisible();
  await checkScreen(page, "launch-401");
});
