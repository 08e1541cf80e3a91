import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

/** The CLI the demo and e2e launcher run: it starts, answers, and stops on SIGTERM. */
describe("sandbox process", () => {
  it("prints a ready line, serves the API and stops on SIGTERM", async () => {
    const root = path.resolve(__dirname, "../..");
    const child = spawn(path.join(root, "node_modules/.bin/tsx"), ["sandbox/lightspeed/main.ts", "--port", "0", "--profile", "e2e", "--seed", "3", "--client-id", "cli-test", "--client-secret", "s3cret"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    try {
      const ready = await new Promise<{ url: string; counts: { sales: number } }>((resolve, reject) => {
        let buf = "";
        child.stdout.on("data", (d: Buffer) => {
          buf += d.toString();
          const line = buf.split("\n").find((l) => l.startsWith("{"));
          if (line) resolve(JSON.parse(line) as { url: string; counts: { sales: number } });
        });
        child.once("exit", (code) => reject(new Error(`exited with ${code}`)));
      });
      expect(ready.counts.sales).toBe(120);
      expect((await fetch(`${ready.url}/__sandbox/health`)).status).toBe(200);
      // Its own process's CPU, for the benchmarks' CPU shares (seeding 120 sales used some).
      expect(((await (await fetch(`${ready.url}/__sandbox/stats`)).json()) as { processCpuMs: number }).processCpuMs).toBeGreaterThan(0);
      const token = await fetch(`${ready.url}/auth/oauth/token`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: "x", client_id: "cli-test", client_secret: "wrong" }).toString(),
      });
      expect(token.status).toBe(401);
      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
