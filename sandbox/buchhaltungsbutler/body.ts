import type { IncomingMessage } from "node:http";
import type { UploadedFile } from "./context";
import type { Body } from "./params";

/** PHP-style form keys ("receipts[0][type]", "vats[]") into nested objects, as BB's PHP backend reads them. */
export function parsePhpForm(entries: Iterable<[string, string]>): Body {
  const root: Body = {};
  for (const [rawKey, value] of entries) {
    const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(rawKey);
    if (!m) {
      root[rawKey] = value;
      continue;
    }
    const path = [m[1]!, ...[...m[2]!.matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1]!)];
    let node: Body = root;
    path.forEach((seg, i) => {
      const last = i === path.length - 1;
      let key = seg;
      if (key === "") key = String(Object.keys(node).length);
      if (last) node[key] = value;
      else {
        const next = node[key];
        if (typeof next !== "object" || next === null) node[key] = {};
        node = node[key] as Body;
      }
    });
  }
  return root;
}

export async function readRaw(req: IncomingMessage, maxBytes = 25 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > maxBytes) throw new Error("body too large");
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

export interface ParsedBody {
  body: Body;
  file: UploadedFile | undefined;
  /** The body could not be read as the content type says (BB then sees no post content). */
  unreadable: boolean;
}

/** JSON, form-urlencoded and multipart bodies, the three encodings BB accepts. */
export async function parseBody(contentType: string | undefined, raw: Buffer): Promise<ParsedBody> {
  const ct = (contentType ?? "").toLowerCase();
  if (raw.length === 0) return { body: {}, file: undefined, unreadable: false };
  if (ct.includes("application/json")) {
    try {
      const v: unknown = JSON.parse(raw.toString("utf8"));
      if (typeof v === "object" && v !== null && !Array.isArray(v)) return { body: v as Body, file: undefined, unreadable: false };
    } catch {
      // fall through
    }
    return { body: {}, file: undefined, unreadable: true };
  }
  if (ct.includes("application/x-www-form-urlencoded")) {
    return { body: parsePhpForm(new URLSearchParams(raw.toString("utf8")).entries()), file: undefined, unreadable: false };
  }
  if (ct.includes("multipart/form-data")) {
    try {
      const form = await new Request("http://sandbox.invalid/", { method: "POST", headers: { "content-type": contentType! }, body: new Uint8Array(raw) }).formData();
      const fields: [string, string][] = [];
      let file: UploadedFile | undefined;
      for (const [key, value] of form.entries()) {
        if (typeof value === "string") fields.push([key, value]);
        else if (key === "file") file = { content: Buffer.from(await value.arrayBuffer()), name: value.name };
      }
      return { body: parsePhpForm(fields), file, unreadable: false };
    } catch {
      return { body: {}, file: undefined, unreadable: true };
    }
  }
  return { body: {}, file: undefined, unreadable: true };
}
