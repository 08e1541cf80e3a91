import { expect, test } from "@playwright/test";
import { saveScreenshot } from "./helpers";

test("the home page renders the navigation", async ({ page }) => {
  await page.goto("/");
  const nav = page.getByRole("navigation", { name: /Hauptnavigation|Main navigation/ });
  await expect(nav).toBeVisible();
  for (const label of [/Übersicht|Dashboard/, /Einrichtung|Setup/, /Zuordnungen|Mappings/, /Aktivität|Activity/, /Benachrichtigungen|Notifications/]) {
    await expect(nav.getByRole("link", { name: label })).toBeVisible();
  }
  await saveScreenshot(page, "home");
});

test("the health endpoint reports the database", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toMatchObject({ status: "ok" });
});
