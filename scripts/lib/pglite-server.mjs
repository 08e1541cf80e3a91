#!/usr/bin/env node
// The zero-setup Postgres: one process owns the PGlite folder and serves it over the wire protocol with
// @electric-sql/pglite-socket's server. It replaces the package's `pglite-server` binary for one reason:
// that server queues each protocol message on its own, so when two connections run extended-protocol queries
// at once their Parse/Bind/Execute messages interleave on PGlite's single backend. One connection's Bind then
// meets the other's unnamed statement ("unnamed prepared statement does not exist", "portal does not exist",
// or, with matching parameter types, a silently wrong result). Here a connection's messages go to PGlite as one
// unit up to the message the client waits on (Sync, Query, Flush, …), so units never interleave; the package's
// queue still keeps a transaction's units on its own connection.
import { parseArgs } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketHandler, PGLiteSocketServer } from "@electric-sql/pglite-socket";

const PROTOCOL_3 = 196608;
// Frontend messages after which a client waits for the server: Sync, simple Query, Flush, Terminate, password
// (and SASL) responses, CopyDone, CopyFail.
const UNIT_END = new Set(["S", "Q", "H", "X", "p", "c", "f"].map((c) => c.charCodeAt(0)));

/** Byte length of the first complete unit in `buf`, or 0 when the client has not sent all of it yet. */
function completeUnitLength(buf, expectStartup) {
  if (expectStartup) {
    if (buf.length < 8) return 0;
    const length = buf.readInt32BE(0);
    if (buf.readInt32BE(4) === PROTOCOL_3) return buf.length >= length ? length : 0;
  }
  let offset = 0;
  while (buf.length - offset >= 5) {
    const type = buf[offset];
    const end = offset + 1 + buf.readInt32BE(offset + 1);
    if (end > buf.length) return 0;
    offset = end;
    if (UNIT_END.has(type)) return offset;
  }
  return 0;
}

async function drain(handler) {
  let sent = 0;
  while (handler.socket && handler.active) {
    if (handler.handleSslRequest() || handler.handleCancelRequest()) continue;
    const length = completeUnitLength(handler.messageBuffer, !handler.startupSeen);
    if (length === 0) break;
    if (!handler.startupSeen) handler.startupSeen = true;
    const unit = new Uint8Array(handler.messageBuffer.subarray(0, length));
    handler.messageBuffer = handler.messageBuffer.subarray(length);
    let writeError;
    await handler.queryQueue.enqueue(handler.id, unit, (out) => {
      if (out.length > 0 && handler.socket?.writable && handler.active) {
        handler.socket.write(Buffer.from(out), (err) => {
          if (err) writeError = err;
        });
      }
      sent += out.length;
    });
    if (writeError) throw writeError;
  }
  return sent;
}

// Socket "data" events each schedule a call; one drain loop per connection keeps its units in order.
PGLiteSocketHandler.prototype.handleData = async function handleData(chunk) {
  if (!this.socket || !this.active) return 0;
  this.messageBuffer = Buffer.concat([this.messageBuffer, chunk]);
  if (this.draining) return 0;
  this.draining = true;
  try {
    return await drain(this);
  } finally {
    this.draining = false;
  }
};

const { values } = parseArgs({
  options: {
    db: { type: "string" },
    port: { type: "string" },
    host: { type: "string", default: "127.0.0.1" },
    "max-connections": { type: "string", default: "20" },
  },
});
if (!values.db || !values.port) {
  console.error("usage: pglite-server.mjs --db=DIR --port=PORT [--host=127.0.0.1] [--max-connections=20]");
  process.exit(2);
}

const db = await PGlite.create(values.db);
const server = new PGLiteSocketServer({
  db,
  port: Number(values.port),
  host: values.host,
  maxConnections: Number(values["max-connections"]),
});
server.addEventListener("error", (e) => console.error("pglite-server:", e.detail));
await server.start();
console.log(`pglite-server listening on ${values.host}:${values.port} (${values.db})`);

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  await server.stop().catch(() => {});
  // Closing flushes the folder; skipping it loses the last writes.
  await db.close().catch((e) => console.error("pglite-server: close failed", e));
  process.exit(0);
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
