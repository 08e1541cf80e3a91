import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, withLogContext } from "./log";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(JSON.parse(chunk.toString()));
      cb();
    },
  });
  return { lines, log: createLogger({ level: "info", destination }) };
}

describe("logger", () => {
  it("redacts secrets by configuration at any depth", () => {
    const { lines, log } = capture();
    log.info({ access_token: "a", creds: { api_key: "k", nested: { refresh_token: "r" } }, headers: { authorization: "Basic x" }, ok: "visible" }, "msg");
    const text = JSON.stringify(lines[0]);
    expect(text).not.toMatch(/"a"|"k"|"r"|Basic x/);
    expect(text).toContain("[redacted]");
    expect(lines[0]!.ok).toBe("visible");
  });

  it("carries request and tenant id from the async context", async () => {
    const { lines, log } = capture();
    await withLogContext({ requestId: "req-1" }, async () => {
      await withLogContext({ tenantId: "t-1" }, async () => {
        await Promise.resolve();
        log.info("inside");
      });
    });
    log.info("outside");
    expect(lines[0]).toMatchObject({ requestId: "req-1", tenantId: "t-1", msg: "inside", level: "info" });
    expect(lines[1]!.requestId).toBeUndefined();
  });
});
