import { sql } from "kysely";
import * as z from "zod";
import { mapStrings, piiStringsOf, redactPii, redactText } from "../activity/redact-pii";
import type { Database } from "../db";
import { toJson } from "../db";
import { AppError } from "../errors/app-error";
import { linksWithPlansOfDebtor, REDACTED_NAME, replaceStoredPlans } from "../sync/links";

/** Who to erase: the Lightspeed customer id, or the e-mail address they used. */
export const eraseCustomerSchema = z.object({
  customer: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .refine((v) => /^\d+$/.test(v) || z.email().safeParse(v).success, { message: "format" }),
});

export interface ErasureResult {
  /** Activity entries whose payloads and message lost the person's data. */
  logEntries: number;
  /** Inbox items whose text lost it. */
  notifications: number;
  /** Stored booking plans whose debtor name was replaced. */
  plans: number;
}

/**
 * Art. 17 GDPR for our own database: everything we hold about one customer — the Lightspeed payloads in the
 * activity log, messages quoting them, inbox items, the names in stored booking plans — is replaced by
 * "[redacted]". The booking itself lives in BuchhaltungsButler and is the merchant's evidence under GoBD and
 * § 147 AO (kept 10 years): it is not ours to delete, and the app says so where the request is made. Ids and
 * amounts stay, so the books and our links still reconcile.
 */
export async function eraseCustomer(database: Database, tenantId: string, customer: string): Promise<ErasureResult> {
  const byId = /^\d+$/.test(customer);
  const email = byId ? null : customer.toLowerCase();
  const entries = await database
    .selectFrom("activity_log")
    .select(["id", "message", "source_payload", "transformed_payload", "target_response"])
    .where("tenant_id", "=", tenantId)
    .where(byId ? sql<boolean>`source_payload #>> '{customer,customerId}' = ${customer}` : sql<boolean>`lower(source_payload #>> '{customer,contact,emails,0,address}') = ${email}`)
    .execute();
  if (entries.length === 0) {
    throw new AppError("NOT_FOUND", { detail: byId ? `no record of Lightspeed customer ${customer} is stored` : "no record with this e-mail address is stored" });
  }
  const known = new Set<string>(email ? [customer] : []);
  const debtorNumbers = new Set<number>();
  for (const e of entries) {
    const payload = e.source_payload as { customer?: unknown } | null;
    piiStringsOf(payload?.customer ?? null, "", known);
    const debtor = (e.transformed_payload as { plan?: { debtor?: { number?: unknown } } } | null)?.plan?.debtor?.number;
    if (typeof debtor === "number") debtorNumbers.add(debtor);
  }
  const redactStrings = (value: unknown) => mapStrings(value, (s) => redactText(s, known));
  await database.transaction().execute(async (trx) => {
    for (const e of entries) {
      await trx
        .updateTable("activity_log")
        .set({
          message: redactText(e.message ?? "", known),
          source_payload: toJson(redactPii(e.source_payload)),
          transformed_payload: toJson(redactPii(redactStrings(e.transformed_payload))),
          target_response: toJson(redactPii(redactStrings(e.target_response))),
        })
        .where("id", "=", e.id)
        .execute();
    }
  });
  let notifications = 0;
  const inbox = await database.selectFrom("notifications").select(["id", "title", "body", "fix_hint", "message"]).where("tenant_id", "=", tenantId).execute();
  for (const n of inbox) {
    const title = redactText(n.title, known);
    const body = redactText(n.body, known);
    const fixHint = n.fix_hint === null ? null : redactText(n.fix_hint, known);
    const message = redactStrings(n.message);
    if (title === n.title && body === n.body && fixHint === n.fix_hint && JSON.stringify(message) === JSON.stringify(n.message)) continue;
    await database.updateTable("notifications").set({ title, body, fix_hint: fixHint, message: toJson(message) }).where("id", "=", n.id).execute();
    notifications++;
  }
  let plans = 0;
  for (const link of await linksWithPlansOfDebtor(database, tenantId, [...debtorNumbers])) {
    await replaceStoredPlans(database, tenantId, link.entity, link.sourceId, {
      plan: { ...(redactStrings(link.plan) as object), debtor: { number: link.debtorNumber, name: REDACTED_NAME } },
      previous: redactStrings(link.previous),
    });
    plans++;
  }
  return { logEntries: entries.length, notifications, plans };
}

