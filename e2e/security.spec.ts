import { expect, test } from "@playwright/test";
import { lsSandbox, saveScreenshot } from "./helpers";

/**
 * What an attacker can do over HTTP against the production build. The e2e build runs the inline job driver (a
 * demo set-up), where the job endpoint must not exist at all; in Inngest mode the SDK's signature check refuses
 * unsigned calls (app/api/inngest/route.test.ts).
 */
test("the job endpoint refuses unsigned calls", async ({ request }) => {
  const run = { event: { name: "inngest/scheduled.timer", data: {} }, events: [], steps: {}, ctx: { run_id: "r1", attempt: 0, stack: { stack: [] } }, version: 2 };
  const listing = await request.get("/api/inngest");
  expect(listing.status()).toBe(404);
  expect(await listing.text()).not.toContain("log-retention-sweep");
  for (const method of ["post", "put"] as const) {
    const res = await request[method]("/api/inngest?fnId=butlerbridge-log-retention-sweep&stepId=step", { data: run });
    expect(res.status(), method).toBe(404);
    expect(await res.text()).not.toContain("tenant");
  }
});

/**
 * Anyone at the register can press the Custom Menu Button. A cashier (the sandbox's "Employee" role) gets the app
 * read-only: no control to uninstall, change credentials or export the log, and the server refuses the action or
 * export even when called directly. Runs after 1-install/2-merchant (the tenant is installed and connected).
 */
test.describe("roles", () => {
  test.use({ locale: "de-DE" });

  test("cashier launch → read-only", async ({ page, baseURL }) => {
    await page.goto(`${lsSandbox()}/__sandbox/backoffice`);
    await page.getByRole("button", { name: "Butlerbridge öffnen als Lena Fischer – Employee (Kasse 1)" }).click();
    await page.waitForURL((u) => u.origin === new URL(baseURL ?? "http://localhost:3000").origin);

    await page.goto("/settings");
    await expect(page.getByTestId("read-only-note")).toContainText("Nur Ansicht");
    await expect(page.getByRole("button", { name: "Deinstallieren" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Verbindung testen" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Trennen" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Test-E-Mail senden" })).toHaveCount(0);
    await expect(page.getByLabel("E-Mail-Adresse (leer lassen für keine E-Mails)")).toBeDisabled();
    await expect(page.getByLabel("Mitarbeitende ohne Admin- oder Manager-Rolle in Lightspeed")).toBeDisabled();

    await saveScreenshot(page, "settings-read-only");
    await page.setViewportSize({ width: 390, height: 844 });
    await saveScreenshot(page, "settings-read-only-phone");
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.goto("/setup");
    await expect(page.getByTestId("read-only-note")).toBeVisible();
    await expect(page.getByRole("button", { name: "Verbinden und prüfen" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Deinstallieren" })).toHaveCount(0);

    await page.goto("/activity");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.getByRole("link", { name: "Als CSV exportieren" })).toHaveCount(0);
    // The export carries customer data: refused for the cashier's session even when asked for directly.
    const exported = await page.request.get("/api/activity/export");
    expect(exported.status()).toBe(403);
    expect(exported.headers()["content-type"] ?? "").not.toContain("text/csv");

    // A raw POST of a server action (the default-debtor form the mappings page renders, disabled, for the
    // cashier) is refused by the server and changes nothing.
    await page.goto("/mappings");
    const debtor = page.locator("#map-debtor");
    const before = await debtor.inputValue();
    const actionField = await page.locator("form:has(#map-debtor) input[name^='$ACTION_ID_']").getAttribute("name");
    expect(actionField).toBeTruthy();
    const posted = await page.request.post("/mappings", {
      multipart: { [actionField!]: "", defaultDebtor: "99999|Kassierer-Test" },
      headers: { origin: new URL(baseURL ?? "http://localhost:3000").origin },
      maxRedirects: 0,
    });
    expect(posted.ok(), `the action answered ${posted.status()}`).toBe(false);
    await page.reload();
    await expect(page.locator("#map-debtor")).toHaveValue(before);
    await expect(page.locator("body")).not.toContainText("Kassierer-Test");
  });
});
