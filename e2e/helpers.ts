import fs from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";

/** Screenshots kept as artifacts (referenced from issue notes and the README). */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  const dir = path.join(__dirname, "artifacts");
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}
