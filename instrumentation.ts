/** Runs once when the server process starts; the Node-only work lives in lib/boot.ts and inngest/jobs.ts. */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { boot } = await import("./lib/boot");
    if (boot().jobsDriver === "inline") {
      const { startInlineDriver } = await import("./inngest/jobs");
      startInlineDriver();
    }
  }
}
