import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as z from "zod";
import { matchRoute, ROUTES } from "./routes";
import { startBbSandbox } from "./server";
import { basic, rawCall } from "./test-helpers";

/**
 * Walks BuchhaltungsButler's official Swagger file (not copied into the project; located at run time) and
 * checks every endpoint the sandbox serves: a request with exactly the spec's required parameters (plus the
 * ones the spec's own descriptions make conditionally necessary) is accepted with the spec's success keys,
 * and a request missing any one required parameter is rejected with an error envelope whose
 * "<status> (<error_code>)" is one of the responses the spec lists for that endpoint.
 */
function locateSpec(): { file: string | null; tried: string[] } {
  const tried = [
    process.env.BB_SPEC_PATH,
    path.resolve(__dirname, "../../../shared/reference/buchhaltungsbutler-api-v1.9.1.json"),
    "/work/shared/reference/buchhaltungsbutler-api-v1.9.1.json",
  ].filter((p): p is string => !!p);
  return { file: tried.find((p) => fs.existsSync(p)) ?? null, tried };
}

const specSchema = z.object({
  paths: z.record(
    z.string(),
    z.object({
      post: z.object({
        parameters: z.array(z.looseObject({ name: z.string(), required: z.boolean().optional() })).default([]),
        responses: z.record(z.string(), z.looseObject({ schema: z.looseObject({ $ref: z.string().optional() }).optional() })),
        description: z.string().optional(),
      }),
    }),
  ),
  definitions: z.record(z.string(), z.looseObject({ properties: z.record(z.string(), z.unknown()).optional() })),
});

type SchemaNode = { type?: string; enum?: unknown[]; properties?: Record<string, SchemaNode>; items?: SchemaNode; $ref?: string };

/**
 * The spec's response schemas, checked for what they can say reliably: every declared property is present
 * (at the top level) and has the declared JSON type, nested objects and array items too. `enum` values are the
 * spec's examples ("123"), so only `success` is held to its enum.
 */
function schemaProblems(node: SchemaNode, value: unknown, at: string, defs: Record<string, SchemaNode>, top = true): string[] {
  if (node.$ref) return schemaProblems(defs[node.$ref.split("/").pop()!] ?? {}, value, at, defs, top);
  const problems: string[] = [];
  const t = node.type;
  const actual = value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
  const fits = !t || (t === "integer" ? typeof value === "number" && Number.isInteger(value) : t === actual);
  if (!fits) return [`${at}: ${actual} where the spec says ${t}`];
  if (t === "object" && node.properties && value && typeof value === "object") {
    for (const [k, sub] of Object.entries(node.properties)) {
      const v = (value as Record<string, unknown>)[k];
      if (v === undefined) {
        if (top) problems.push(`${at}.${k}: missing`);
        continue;
      }
      if (k === "success" && sub.enum && !sub.enum.includes(v)) problems.push(`${at}.success: ${String(v)}`);
      problems.push(...schemaProblems(sub, v, `${at}.${k}`, defs, false));
    }
  }
  if (t === "array" && node.items && Array.isArray(value)) value.forEach((v, i) => problems.push(...schemaProblems(node.items!, v, `${at}[${i}]`, defs, false)));
  return problems;
}

/**
 * Deliberate differences from the response schemas: a short list of named rules, each with its evidence. A
 * problem one of these explains is not counted against the path; anything else still fails it.
 */
const ALLOWED: { name: string; paths: RegExp; problem: RegExp; evidence: string }[] = [
  {
    name: "missing values are null",
    paths: /./,
    problem: /: null where the spec says (string|integer|number)$/,
    evidence: "live answers send null for empty fields (reference §1.3 type quirks [L]); the spec types only the filled case",
  },
  {
    name: "transaction ids are numbers",
    paths: /^transactions\//,
    problem: /(^answer\.|\.)(transaction_)?id_by_customer: number where the spec says string$/,
    evidence: "live answers carry transaction ids as numbers (reference §1.3 [L]); switch transactionIdsAsNumbers",
  },
  {
    name: "assign-batch ids are integers",
    paths: /^transactions\/assign-batch\/receipt$/,
    problem: /\.receipt_id_by_customer: number where the spec says string$/,
    evidence: "OHNEBEN-WRITE saw integer ids in the assign-batch answer (reference §1.3 [L-write])",
  },
];

const { file, tried } = locateSpec();

/** Spec paths name the id placeholder literally; the sandbox route table uses ":id". */
const routeOf = (specPath: string) => specPath.replace(/^\//, "").replace(/\/id_by_customer$/, "/:id");

/** Required in the spec, but by the spec's own description only in some cases (documented in the README). */
const CONDITIONAL: Record<string, string[]> = {
  // "only required, if you are posting to an incoming invoice": our fixture receipt is outbound.
  "postings/add/receipt": ["creditor"],
};

/** Spec paths the sandbox does not serve, with the reason (they answer 404 HTML like any unknown path). */
const UNSERVED: Record<string, string> = {
  "/invoices/create": "Butlerbridge never issues BB invoices: a second invoice document with its own number (reference §1)",
  "/invoices/create/e-invoice": "as invoices/create",
  "/invoices/create/draft": "as invoices/create",
  "/reports/create/bwa": "the BWA is not used by the app; the sums report covers the reconciliation",
  "/reports/get/bwa": "as reports/create/bwa",
};

const PDF = Buffer.from("%PDF-1.4\n%spec walk\n").toString("base64");

if (!file) {
  describe("spec walk", () => {
    it.skip(`skipped: the official spec file was not found (set BB_SPEC_PATH); looked in ${tried.join(", ")}`, () => {});
  });
} else {
  const spec = specSchema.parse(JSON.parse(fs.readFileSync(file, "utf8")));
  const sandbox = await startBbSandbox({
    limits: { perWindow: 1_000_000, batchIntervalMs: 0, uploadsPerWindow: 1_000_000, reportGenerationMs: 0 },
    tenants: [{ name: "Spec Walk GmbH", apiClient: "walk", apiSecret: "walk-secret", apiKey: "walk-key", debtors: [{ number: 10001, name: "Kunde" }], costLocations: [{ code: "SHOP1", name: "Laden" }] }],
  });
  afterAll(() => sandbox.close());
  const auth = basic("walk", "walk-secret");
  const call = (p: string, body: Record<string, unknown>) => rawCall(sandbox.url, p, body, { auth });

  let seq = 0;
  const receipt = (over: Record<string, unknown> = {}) => ({ type: "invoice outbound", counterparty: "Kunde", invoice_number: `SW-${++seq}`, date: "2026-03-14", amount: 119, currency: "EUR", ...over });
  const tx = () => ({ account: 1000, to_from: "Kunde", amount: 119, booking_date: "2026-03-14 10:00:00", purpose: `SW-T-${++seq}` });
  const lines = { postingaccounts: [8400], postingtexts: ["Spec walk"], vats: ["19_vat"], amounts: ["119.00"] };
  const newReceipt = async (over: Record<string, unknown> = {}) => Number((await call("receipts/add", { api_key: "walk-key", ...receipt(over) })).json.id_by_customer);
  const newTx = async () => (await call("transactions/add", { api_key: "walk-key", ...tx() })).json.id_by_customer as number;
  const freePosting = async () => {
    const text = `SW-F-${++seq}`;
    await call("postings/add/free", { api_key: "walk-key", date: "2026-08-01", postingtext: text, amount: "1.00", postingaccount_debit: 1590, postingaccount_credit: 1360, vat: "0_none" });
    const list = await call("postings/get", { api_key: "walk-key", date_from: "2026-08-01", date_to: "2026-08-01", limit: 1000 });
    return Number((list.json.data as { id_by_customer: string; postingtext: string }[]).find((p) => p.postingtext === text)!.id_by_customer);
  };

  /** A fresh, valid request for a served path: the URL path (with an id) and the body without api_key. */
  async function prepare(route: string): Promise<{ urlPath: string; body: Record<string, unknown> }> {
    const plain = (body: Record<string, unknown>) => ({ urlPath: route, body });
    switch (route) {
      case "receipts/get":
        return plain({ list_direction: "outbound" });
      case "receipts/get/:id":
        return { urlPath: `receipts/get/${await newReceipt()}`, body: {} };
      case "receipts/add":
        return plain(receipt());
      case "receipts/addBatch":
        return plain({ receipts: [receipt()] });
      case "receipts/upload":
        return plain({ file: PDF, type: "invoice inbound", file_name: "beleg.pdf" });
      case "receipts/delete/:id":
        return { urlPath: `receipts/delete/${await newReceipt()}`, body: {} };
      case "receipts/restore/:id": {
        const id = await newReceipt();
        await call(`receipts/delete/${id}`, { api_key: "walk-key" });
        return { urlPath: `receipts/restore/${id}`, body: {} };
      }
      case "receipts/assigned-transactions/get":
        return plain({ receipt_id_by_customer: await newReceipt() });
      case "transactions/get":
        return plain({});
      case "transactions/get/:id":
        return { urlPath: `transactions/get/${await newTx()}`, body: {} };
      case "transactions/add":
        return plain(tx());
      case "transactions/addBatch":
        return plain({ transactions: [tx()] });
      case "transactions/assign/receipt":
        return plain({ transaction_id_by_customer: await newTx(), receipt_id_by_customer: await newReceipt() });
      case "transactions/assign-batch/receipt":
        return plain({ transactions_to_receipts: [{ transaction_id_by_customer: await newTx(), receipt_id_by_customer: await newReceipt() }] });
      case "transactions/unassign/receipt": {
        const pair = { transaction_id_by_customer: await newTx(), receipt_id_by_customer: await newReceipt() };
        await call("transactions/assign/receipt", { api_key: "walk-key", ...pair });
        return plain(pair);
      }
      case "transactions/assigned-receipts/get":
        return plain({ transaction_id_by_customer: await newTx() });
      case "postings/get":
        return plain({ date_from: "2026-01-01", date_to: "2026-12-31" });
      case "postings/add/receipt":
        // No creditor_debtor on the receipt, so the posting's `debtor` is really required.
        return plain({ receipt_id_by_customer: await newReceipt(), debtor: 10001, ...lines });
      case "postings/add-batch/receipts":
        return plain({ receipts: [{ receipt_id_by_customer: await newReceipt(), debtor: 10001, ...lines }] });
      case "postings/add/transaction":
        return plain({ transaction_id_by_customer: await newTx(), ...lines, oi_receipts_ids_by_customer: [null] });
      case "postings/add-batch/transactions":
        return plain({ transactions: [{ transaction_id_by_customer: await newTx(), ...lines, oi_receipts_ids_by_customer: [null] }] });
      case "postings/add/free":
        return plain({ date: "2026-03-14", postingtext: "Spec walk", amount: "10.00", postingaccount_debit: 1590, postingaccount_credit: 1360, vat: "0_none" });
      case "postings/add-batch/free":
        return plain({ free_postings: [{ date: "2026-03-14", postingtext: "Spec walk", amount: "10.00", postingaccount_debit: 1590, postingaccount_credit: 1360, vat: "0_none" }] });
      case "postings/unconfirm/receipt": {
        const id = await newReceipt({ creditor_debtor: 10001 });
        await call("postings/add/receipt", { api_key: "walk-key", receipt_id_by_customer: id, debtor: 10001, ...lines });
        return plain({ receipt_id_by_customer: id });
      }
      case "postings/unconfirm/transaction": {
        const id = await newTx();
        await call("postings/add/transaction", { api_key: "walk-key", transaction_id_by_customer: id, ...lines, oi_receipts_ids_by_customer: [null] });
        return plain({ transaction_id_by_customer: id });
      }
      case "postings/unconfirm/free":
      case "postings/cancel":
        return plain({ posting_id_by_customer: await freePosting() });
      case "postings/assign/receipt-to-free-posting":
        return plain({ receipt_id_by_customer: await newReceipt(), posting_id_by_customer: await freePosting() });
      case "settings/get/debtors":
      case "settings/get/creditors":
      case "settings/get/postingaccounts":
      case "accounts/get":
        return plain({});
      case "settings/add/debtor":
      case "settings/add/creditor":
        return plain({ name: `Neu ${++seq}` });
      case "settings/add-batch/debtors":
        return plain({ debtors: [{ name: `Neu ${++seq}` }] });
      case "settings/add-batch/creditors":
        return plain({ creditors: [{ name: `Neu ${++seq}` }] });
      case "settings/update/debtor":
        return plain({ postingaccount_number: 10001, name: "Kunde" });
      case "settings/update/creditor": {
        const n = Number((await call("settings/add/creditor", { api_key: "walk-key", name: `Lieferant ${++seq}` })).json.postingaccount_number);
        return plain({ postingaccount_number: n, name: "Lieferant" });
      }
      case "settings/add/postingaccount":
        return plain({ name: `Erlöse ${++seq}`, postingaccount_number: 8400 + (seq % 99) + 1, parent_postingaccount_number: 8400 });
      case "settings/update/postingaccount":
        return plain({ name: `Erlöse ${++seq}`, postingaccount_number: 8200 });
      case "accounts/add":
        return plain({ type: "other", name: `Verrechnung ${++seq}`, postingaccount_number: 1730 });
      case "comments/add":
        return plain({ comment_text: "Aus dem Spec-Walk", receipt_id_by_customer: await newReceipt() });
      case "cost-locations/get":
        return plain({ code: "SHOP1" });
      case "cost-locations/add":
        return plain({ code: `C${++seq}`, name: "Kostenstelle" });
      case "cost-locations/update":
        return plain({ code: "SHOP1", name: `Laden ${++seq}` });
      case "cost-locations/delete": {
        const code = `D${++seq}`;
        await call("cost-locations/add", { api_key: "walk-key", code, name: "weg" });
        return plain({ code });
      }
      case "reports/create/sums":
        return plain({ date_from: "2026-01-01", date_to: "2026-12-31", file_csv: true });
      case "reports/get/sums": {
        const id = Number((await call("reports/create/sums", { api_key: "walk-key", date_from: "2026-01-01", date_to: "2026-12-31", file_csv: true })).json.id_by_customer);
        return plain({ report_id_by_customer: id, get_files: true });
      }
      case "reports/get/sums/ledger":
        return plain({ postingaccount_number: 8400, date_from: "2026-01-01", date_to: "2026-12-31" });
      default:
        throw new Error(`no spec-walk fixture for ${route}`);
    }
  }

  const specRoutes = Object.keys(spec.paths).map(routeOf);
  const served = Object.entries(spec.paths).filter(([p]) => matchRoute(routeOf(p).replace("/:id", "/1")) !== null);
  const unserved = Object.keys(spec.paths).filter((p) => !served.some(([q]) => q === p));

  const outcome = new Map<string, { conforming: boolean; allowed: string[] }>();
  const usedRules = new Set<string>();
  afterAll(() => {
    const total = Object.keys(spec.paths).length;
    const conforming = [...outcome.values()].filter((o) => o.conforming).length;
    const viaRules = [...outcome.values()].filter((o) => !o.conforming).length;
    // The figures the issue asks for; visible in the test output.
    console.info(
      `BB spec walk: ${conforming}/${total} spec paths conform exactly, ${viaRules} more only through the allow-list (${[...usedRules].join("; ")}), ${Object.keys(UNSERVED).length} not served`,
    );
    // Every rule of the allow-list must still be needed.
    if (outcome.size === Object.keys(spec.paths).length - Object.keys(UNSERVED).length) expect([...usedRules].sort()).toEqual(ALLOWED.map((r) => r.name).sort());
  });

  describe("spec walk", () => {
    it("serves only endpoints that exist in the spec, and the issue's endpoints all exist", () => {
      for (const route of Object.keys(ROUTES)) expect(specRoutes, route).toContain(route);
      expect(served.length).toBe(Object.keys(ROUTES).length);
    });

    it("answers the endpoints it does not model, each listed with its reason, like unknown paths: 404 HTML", async () => {
      expect(unserved.sort()).toEqual(Object.keys(UNSERVED).sort());
      for (const p of unserved) {
        const a = await call(routeOf(p), { api_key: "walk-key" });
        expect([p, a.status, a.contentType.includes("text/html")]).toEqual([p, 404, true]);
      }
    });

    for (const [specPath, item] of served) {
      const route = routeOf(specPath);
      const params = item.post.parameters;
      const required = params.filter((x) => x.required && !(CONDITIONAL[route] ?? []).includes(x.name)).map((x) => x.name);
      const responses = Object.keys(item.post.responses);
      const successRef = item.post.responses["200"]?.schema?.$ref?.split("/").pop();
      const successKeys = Object.keys((successRef && spec.definitions[successRef]?.properties) ?? {});

      it(`${route}: accepts the required parameters [${required.join(", ")}] with an answer that validates against the spec's schema`, async () => {
        const { urlPath, body } = await prepare(route);
        for (const name of required) if (name !== "api_key") expect(Object.keys(body), `fixture for ${route} lacks ${name}`).toContain(name);
        const a = await call(urlPath, { api_key: "walk-key", ...body });
        expect([a.status, a.json.success, a.text.slice(0, 200)]).toEqual([200, true, a.text.slice(0, 200)]);
        for (const key of successKeys) expect(Object.keys(a.json), `${route} answer lacks "${key}"`).toContain(key);
        if (Array.isArray(a.json.errors)) expect(a.json.errors).toEqual([]);
        const problems = successRef ? schemaProblems({ $ref: successRef }, a.json, "answer", spec.definitions as Record<string, SchemaNode>) : [];
        const rules = ALLOWED.filter((r) => r.paths.test(route));
        const left = problems.filter((p) => !rules.some((r) => r.problem.test(p)));
        expect(left).toEqual([]);
        const used = rules.filter((r) => problems.some((p) => r.problem.test(p))).map((r) => r.name);
        for (const u of used) usedRules.add(u);
        outcome.set(route, { conforming: problems.length === 0, allowed: used });
      });

      it(`${route}: answers wrong credentials with the spec's 401 (3) and an unknown api_key with 401 (4)`, async () => {
        const { urlPath, body } = await prepare(route);
        const badClient = await rawCall(sandbox.url, urlPath, { api_key: "walk-key", ...body }, { auth: basic("walk", "wrong") });
        const badKey = await call(urlPath, { ...body, api_key: "nobody" });
        expect(responses).toContain(`${badClient.status} (${String(badClient.json.error_code)})`);
        expect([badClient.status, badClient.json.error_code]).toEqual([401, 3]);
        expect([badKey.status, badKey.json.error_code]).toEqual([401, 4]);
      });

      for (const missing of required) {
        it(`${route}: rejects a request without ${missing} with one of the spec's errors`, async () => {
          const { urlPath, body } = await prepare(route);
          const full: Record<string, unknown> = { api_key: "walk-key", ...body };
          delete full[missing];
          const a = await call(urlPath, full);
          expect(a.contentType).toContain("application/json");
          expect(a.json).toEqual({ success: false, error_code: expect.any(Number), message: expect.any(String) });
          expect(responses, `${route} without ${missing} answered ${a.status} (${String(a.json.error_code)}) "${String(a.json.message)}"`).toContain(`${a.status} (${String(a.json.error_code)})`);
        });
      }
    }
  });
}
