import * as z from "zod";
import { APP_ERROR_CODES, type AppErrorCode } from "../errors/app-error";
import { fill, formatMoney } from "../i18n/format";
import { translate, type Locale, type MessageKey } from "../i18n/messages";

/*
 * Inbox entries are stored as a code and its parameters and rendered when read, in the viewer's language (the
 * inbox) or the tenant's (the e-mail digest). Parameters are data, never sentences — except an error's own
 * `detail`/`fixHint`, which the lib that raised it wrote and which are shown as they are.
 */

const appErrorCode = z.enum(Object.keys(APP_ERROR_CODES) as [AppErrorCode, ...AppErrorCode[]]);
const flow = z.enum(["orders", "products", "stock"]);

export const noticeMessageSchema = z.discriminatedUnion("code", [
  /** A job run gave up after its retries. */
  z.object({ code: z.literal("job_failed"), params: z.object({ flow, error: appErrorCode, detail: z.string().optional(), fixHint: z.string().optional() }) }),
  /** One record failed for good; one notice per problem, not per record. */
  z.object({ code: z.literal("record_failed"), params: z.object({ error: appErrorCode, detail: z.string().optional(), fixHint: z.string().optional() }) }),
  /** Category accounts cannot be created: their parent revenue accounts (or number range) are unknown. */
  z.object({ code: z.literal("category_parents_missing"), params: z.object({}) }),
  /** Two Lightspeed items claim one SKU; the older keeps it. */
  z.object({ code: z.literal("sku_duplicate"), params: z.object({ sku: z.string(), heldBy: z.string(), itemId: z.string(), assigned: z.string() }) }),
  /** A sale changed after it was posted and, by the merchant's setting, was not booked again. */
  z.object({
    code: z.literal("sale_edit_ignored"),
    params: z.object({ reference: z.string(), invoiceNumber: z.string(), postedCents: z.number().int(), nowCents: z.number().int() }),
  }),
  /** Every flow of the tenant is paused until the cause is fixed (revoked access, rejected credentials, a currency BB cannot book). */
  z.object({ code: z.literal("tenant_paused"), params: z.object({ error: appErrorCode, detail: z.string().optional(), fixHint: z.string().optional() }) }),
  /** The e-mail digest could not be sent to the tenant's notification address. */
  z.object({ code: z.literal("email_failed"), params: z.object({ address: z.string(), reason: z.string() }) }),
]);

export type NoticeMessage = z.infer<typeof noticeMessageSchema>;

/** A stored message, or null when there is none or it is not one this version knows (then the text is shown). */
export function parseNoticeMessage(raw: unknown): NoticeMessage | null {
  const parsed = noticeMessageSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

export interface RenderedNotice {
  /** What kind of problem (bold line of an inbox item, bullet of the e-mail). */
  headline: string;
  /** What exactly happened. */
  text: string;
  fixHint: string | null;
}

function errorText(error: AppErrorCode, detail: string | undefined, locale: Locale): string {
  return error !== "INTERNAL" && detail ? detail : APP_ERROR_CODES[error][locale];
}

function renderMessage(m: NoticeMessage, locale: Locale): Omit<RenderedNotice, "headline"> & { headline?: string } {
  const t = (key: MessageKey, vars: Record<string, string> = {}) => fill(translate(locale, key), vars);
  switch (m.code) {
    case "job_failed": {
      const { flow, error, detail, fixHint } = m.params;
      const retryable = APP_ERROR_CODES[error].kind === "retryable";
      return {
        text: `${t(`notice.job_failed.${flow}`)}: ${errorText(error, detail, locale)}`,
        fixHint: fixHint ?? (retryable ? t("notice.fix.retryNextRun") : null),
      };
    }
    case "record_failed":
      return { text: errorText(m.params.error, m.params.detail, locale), fixHint: m.params.fixHint ?? null };
    case "tenant_paused":
      return { headline: t("notice.tenant_paused.title"), text: errorText(m.params.error, m.params.detail, locale), fixHint: m.params.fixHint ?? null };
    case "category_parents_missing":
      return { text: t("notice.category_parents_missing.text"), fixHint: t("notice.category_parents_missing.fix") };
    case "email_failed":
      return { headline: t("notice.email_failed.title"), text: t("notice.email_failed.text", m.params), fixHint: t("notice.email_failed.fix") };
    case "sale_edit_ignored": {
      const { reference, invoiceNumber, postedCents, nowCents } = m.params;
      return {
        headline: t("notice.sale_edit_ignored.title", { reference }),
        // Same total (a tender moved from cash to card, say): "still 10 €, now 10 €" would read as no change at all.
        text: postedCents === nowCents
          ? t("notice.sale_edit_ignored.textSameTotal", { invoiceNumber, posted: formatMoney(postedCents, locale) })
          : t("notice.sale_edit_ignored.text", { invoiceNumber, posted: formatMoney(postedCents, locale), now: formatMoney(nowCents, locale) }),
        fixHint: t("notice.sale_edit_ignored.fix"),
      };
    }
    case "sku_duplicate":
      return { headline: t("notice.sku_duplicate.title", { sku: m.params.sku }), text: t("notice.sku_duplicate.text", m.params), fixHint: t("notice.sku_duplicate.fix") };
  }
}

/**
 * An inbox entry in `locale`. The headline is the error code's own text unless the message has one; rows from
 * before messages existed show the text they were stored with.
 */
export function renderNotice(n: { code: string; message: NoticeMessage | null; title: string; fixHint: string | null }, locale: Locale): RenderedNotice {
  const spec = n.code in APP_ERROR_CODES ? APP_ERROR_CODES[n.code as AppErrorCode] : null;
  const headline = spec ? spec[locale] : n.code;
  if (!n.message) return { headline, text: n.title, fixHint: n.fixHint };
  const r = renderMessage(n.message, locale);
  return { headline: r.headline ?? headline, text: r.text, fixHint: r.fixHint };
}

/**
 * The finished text stored next to a message for readers that predate `message` (an older instance during a
 * rolling deploy): English, as those rows mostly were; the message's own headline, if it has one, is the title.
 */
export function noticeFallbackText(m: NoticeMessage): { title: string; body: string; fixHint: string | null } {
  const r = renderMessage(m, "en");
  return { title: r.headline ?? r.text, body: r.text, fixHint: r.fixHint };
}
