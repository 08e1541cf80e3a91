import { expect, test } from "@playwright/test";

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
