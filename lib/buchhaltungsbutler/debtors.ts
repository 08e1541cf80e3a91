import { AppError } from "../errors/app-error";
import type { OpsContext } from "./context";
import { findDebtorByNumber, normaliseEmail, upsertIndexedDebtors } from "./debtor-index";
import { runBatch } from "./run-batch";
import { BbUncertainWrite } from "./transport";
import type { BatchItemResult, BatchOutcome, BbCreditor, BbCreditorInput, BbCreditorUpdate, BbDebtor, BbDebtorInput, BbDebtorUpdate } from "./types";
import { compact, listEnvelope, parseOne, parseRows, personFromWire } from "./wire";
import { writeOnce } from "./write-once";

/**
 * Debtors (and creditors, which mirror them). BB's list has no search and a default page of 25; we always
 * ask for 500 and stop only on a short page, because an undocumented maximum may silently cap the page.
 */
const PAGE = 500;

type Kind = "debtor" | "creditor";

const clean = (v: string | undefined) => (v === undefined || v.trim() === "" ? undefined : v.trim());

function personWire(d: BbDebtorInput | BbCreditorInput, kind: Kind): Record<string, unknown> {
  if (!clean(d.name)) throw new AppError("RECORD_INVALID", { detail: `a ${kind} needs a name` });
  return compact({
    name: d.name.trim(),
    postingaccount_number: d.postingAccountNumber === undefined ? undefined : String(d.postingAccountNumber),
    contact_person_name: clean(d.contactPersonName),
    customer_number: kind === "debtor" ? clean((d as BbDebtorInput).customerNumber) : undefined,
    street: clean(d.street),
    additional_address_line: clean(d.additionalAddressLine),
    zip: clean(d.zip),
    city: clean(d.city),
    country: clean(d.country),
    sales_tax_id: clean(d.salesTaxId),
    email: clean(d.email),
    iban: clean(d.iban),
    bic: clean(d.bic),
    due_in_days: kind === "creditor" ? (d as BbCreditorInput).dueInDays : undefined,
  });
}

function asDebtor(number: number, d: BbDebtorInput | BbCreditorInput): BbDebtor {
  return {
    postingAccountNumber: number,
    name: d.name.trim(),
    contactPersonName: clean(d.contactPersonName) ?? null,
    customerNumber: clean((d as BbDebtorInput).customerNumber) ?? null,
    email: clean(d.email) ?? null,
    street: clean(d.street) ?? null,
    additionalAddressLine: clean(d.additionalAddressLine) ?? null,
    zip: clean(d.zip) ?? null,
    city: clean(d.city) ?? null,
    country: clean(d.country) ?? null,
    salesTaxId: clean(d.salesTaxId) ?? null,
    iban: clean(d.iban) ?? null,
    bic: clean(d.bic) ?? null,
  };
}

/** Does a listed person look like the one we tried to create? Customer number wins; else name + every field we sent. */
function samePerson(found: BbDebtor, d: BbDebtorInput | BbCreditorInput): boolean {
  const cn = clean((d as BbDebtorInput).customerNumber);
  if (cn) return found.customerNumber?.trim() === cn;
  if (found.name !== d.name.trim()) return false;
  const pairs: [string | null, string | undefined][] = [
    [found.email ? normaliseEmail(found.email) : null, d.email ? normaliseEmail(d.email) : undefined],
    [found.street, clean(d.street)],
    [found.zip, clean(d.zip)],
    [found.city, clean(d.city)],
  ];
  return pairs.every(([have, want]) => want === undefined || have === want);
}

/** Enough to find a lost create again: a customer number, or a name with at least one more field. */
function canReadBack(d: BbDebtorInput | BbCreditorInput): boolean {
  return !!clean((d as BbDebtorInput).customerNumber) || !!(clean(d.email) || clean(d.street) || clean(d.zip) || clean(d.city));
}

export function personOps(ctx: OpsContext, options: { batchAcceptsEmail: boolean }) {
  async function* listPeople(kind: Kind): AsyncIterable<BbDebtor[]> {
    const path = kind === "debtor" ? "settings/get/debtors" : "settings/get/creditors";
    const seen = new Set<number>();
    let largest = 0;
    for (let offset = 0; ; ) {
      const answer = await ctx.call(path, { limit: PAGE, offset }, { write: false });
      const rows = parseRows(path, parseOne(path, answer, listEnvelope).data, personFromWire);
      if (rows.length === 0) return;
      const fresh = rows.filter((r) => !seen.has(r.postingAccountNumber));
      for (const r of fresh) seen.add(r.postingAccountNumber);
      if (fresh.length) yield fresh;
      // BB may cap `limit` silently, so a short first page proves nothing: only a page shorter than an
      // earlier one (or an empty one) is the last.
      largest = Math.max(largest, rows.length);
      if (rows.length < largest) return;
      offset += rows.length;
    }
  }

  async function allPeople(kind: Kind): Promise<BbDebtor[]> {
    const out: BbDebtor[] = [];
    for await (const page of listPeople(kind)) out.push(...page);
    return out;
  }

  async function addPerson(kind: Kind, d: BbDebtorInput | BbCreditorInput, options: { attempts?: number } = {}): Promise<{ postingAccountNumber: number; recovered: boolean }> {
    const path = kind === "debtor" ? "settings/add/debtor" : "settings/add/creditor";
    const wire = personWire(d, kind);
    const { value, recovered } = await writeOnce(
      ctx,
      `${kind} ${d.name}`,
      async () => {
        const answer = await ctx.call(path, wire, { write: true });
        const n = Number(answer.postingaccount_number);
        if (!Number.isSafeInteger(n)) throw new AppError("UPSTREAM_UNAVAILABLE", { detail: `${path} answered without a postingaccount_number`, context: { path } });
        return n;
      },
      canReadBack(d)
        ? async () => {
            const hit = (await allPeople(kind)).filter((p) => samePerson(p, d)).sort((a, b) => a.postingAccountNumber - b.postingAccountNumber)[0];
            return hit ? hit.postingAccountNumber : null;
          }
        : null,
      options.attempts,
    );
    if (kind === "debtor") await upsertIndexedDebtors(ctx.database, ctx.tenantId, [asDebtor(value, d)]);
    return { postingAccountNumber: value, recovered };
  }

  async function addPeople(kind: Kind, ds: (BbDebtorInput | BbCreditorInput)[]): Promise<BatchOutcome<{ postingAccountNumber: number }>> {
    const results: BatchItemResult<{ postingAccountNumber: number }>[] = new Array(ds.length);
    // The spec's batch item has no e-mail field: debtors with an e-mail go one by one so the address is kept.
    const single = ds.map((d, i) => ({ d, i })).filter(({ d }) => kind === "debtor" && !options.batchAcceptsEmail && clean(d.email));
    const batched = ds.map((d, i) => ({ d, i })).filter((x) => !single.includes(x));
    for (const { d, i } of single) {
      try {
        const r = await addPerson(kind, d);
        results[i] = { ok: true, value: { postingAccountNumber: r.postingAccountNumber }, recovered: r.recovered };
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        results[i] = { ok: false, error: e };
        if (e.kind === "tenant") throw e;
      }
    }
    if (batched.length) {
      const path = kind === "debtor" ? "settings/add-batch/debtors" : "settings/add-batch/creditors";
      const key = kind === "debtor" ? "debtors" : "creditors";
      const outcome = await runBatch(ctx, {
        path,
        itemsKey: key,
        responseKey: key,
        errorPath: kind === "debtor" ? "settings/add/debtor" : "settings/add/creditor",
        items: batched.map((x) => x.d),
        toWire: (d) => personWire(d, kind),
        identity: ["name", "customer_number", "zip", "city"],
        fromSuccess: (entry) => {
          const n = Number(entry.postingaccount_number);
          if (!Number.isSafeInteger(n)) throw new Error("no postingaccount_number");
          return { postingAccountNumber: n };
        },
        readBack: async (pending) => {
          const all = await allPeople(kind);
          const claimed = new Set<number>();
          const found = new Map<number, { postingAccountNumber: number }>();
          for (const p of pending) {
            if (!canReadBack(p.item)) continue;
            const hit = all.filter((x) => !claimed.has(x.postingAccountNumber) && samePerson(x, p.item)).sort((a, b) => a.postingAccountNumber - b.postingAccountNumber)[0];
            if (hit) {
              claimed.add(hit.postingAccountNumber);
              found.set(p.index, { postingAccountNumber: hit.postingAccountNumber });
            }
          }
          return found;
        },
      });
      outcome.results.forEach((r, j) => (results[batched[j]!.i] = r));
      if (kind === "debtor") {
        const created = outcome.results.flatMap((r, j) => (r.ok ? [asDebtor(r.value.postingAccountNumber, { ...batched[j]!.d, ...(options.batchAcceptsEmail ? {} : { email: undefined }) })] : []));
        await upsertIndexedDebtors(ctx.database, ctx.tenantId, created);
      }
    }
    return { results, succeeded: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length };
  }

  /** An update is idempotent: after a lost answer it is simply sent again. */
  async function sendUpdate(path: string, wire: Record<string, unknown>): Promise<Record<string, unknown>> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await ctx.call(path, wire, { write: true });
      } catch (e) {
        if (!(e instanceof BbUncertainWrite) || attempt >= ctx.writeAttempts) {
          if (e instanceof BbUncertainWrite) throw new AppError("UPSTREAM_UNAVAILABLE", { detail: `${path}: no answer after ${attempt} attempts`, retryAfterSeconds: 60, context: { path } });
          throw e;
        }
        ctx.stats.retries += 1;
        await ctx.clock.sleep(ctx.backoffMs * 2 ** (attempt - 1));
      }
    }
  }

  /**
   * BB may clear every field an update does not send, so the update is merged onto the full record we know
   * (from the debtor index) and sent complete.
   */
  async function updateDebtor(u: BbDebtorUpdate): Promise<BbDebtor> {
    const known = await findDebtorByNumber(ctx.database, ctx.tenantId, u.postingAccountNumber);
    const base: BbDebtorInput = known
      ? {
          name: known.name,
          contactPersonName: known.contactPersonName ?? undefined,
          customerNumber: known.customerNumber ?? undefined,
          email: known.email ?? undefined,
          street: known.street ?? undefined,
          additionalAddressLine: known.additionalAddressLine ?? undefined,
          zip: known.zip ?? undefined,
          city: known.city ?? undefined,
          country: known.country ?? undefined,
          salesTaxId: known.salesTaxId ?? undefined,
          iban: known.iban ?? undefined,
          bic: known.bic ?? undefined,
        }
      : { name: u.name ?? "" };
    const merged: BbDebtorInput = { ...base, ...compact(u), postingAccountNumber: undefined };
    if (!clean(merged.name)) throw new AppError("RECORD_INVALID", { detail: `debtor ${u.postingAccountNumber}: a name is required (the debtor is not in our index yet, so send the full record)` });
    const wire = { ...personWire(merged, "debtor"), postingaccount_number: u.postingAccountNumber };
    const answer = await sendUpdate("settings/update/debtor", wire);
    const parsed = answer.data && typeof answer.data === "object" ? personFromWire.safeParse(answer.data) : null;
    const updated = parsed?.success ? parsed.data : asDebtor(u.postingAccountNumber, merged);
    await upsertIndexedDebtors(ctx.database, ctx.tenantId, [updated]);
    return updated;
  }

  async function updateCreditor(u: BbCreditorUpdate): Promise<BbCreditor> {
    if (!clean(u.name)) throw new AppError("RECORD_INVALID", { detail: `creditor ${u.postingAccountNumber}: send the full record including the name (BB may clear omitted fields)` });
    const wire = { ...personWire({ ...u, name: u.name!, postingAccountNumber: undefined }, "creditor"), postingaccount_number: u.postingAccountNumber };
    const answer = await sendUpdate("settings/update/creditor", wire);
    const parsed = answer.data && typeof answer.data === "object" ? personFromWire.safeParse(answer.data) : null;
    const { customerNumber: _drop, ...creditor } = parsed?.success ? parsed.data : asDebtor(u.postingAccountNumber, { ...u, name: u.name! });
    return creditor;
  }

  return {
    listDebtors: () => listPeople("debtor"),
    listCreditors: () => listPeople("creditor") as AsyncIterable<BbCreditor[]>,
    /** `attempts: 1`: after a lost answer and a read-back that found nothing, fail instead of writing again. */
    addDebtor: (d: BbDebtorInput, options: { attempts?: number } = {}) => addPerson("debtor", d, options),
    addDebtors: (ds: BbDebtorInput[]) => addPeople("debtor", ds),
    addCreditor: (d: BbCreditorInput) => addPerson("creditor", d),
    addCreditors: (ds: BbCreditorInput[]) => addPeople("creditor", ds),
    updateDebtor,
    updateCreditor,
  };
}
