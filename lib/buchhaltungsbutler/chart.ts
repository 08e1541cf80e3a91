import * as z from "zod";
import { AppError } from "../errors/app-error";
import { logger } from "../log";
import type { OpsContext } from "./context";
import { BbUncertainWrite } from "./transport";
import type { BbCommentInput, BbCostLocation, BbPaymentAccount, BbPaymentAccountInput, BbPostingAccount } from "./types";
import { compact, listEnvelope, parseOne, parseRows, postingAccountFromWire } from "./wire";
import { writeOnce } from "./write-once";

const PAGE = 1000;

const paymentAccountRow = z.looseObject({ name: z.string().nullish(), postingaccount_number: z.union([z.string(), z.number()]).transform(Number) });
const costLocationRow = z.looseObject({ code: z.union([z.string(), z.number()]).transform(String), name: z.string().nullish() });

/** Accounts (the chart, payment accounts), cost locations and comments. */
export function chartOps(ctx: OpsContext) {
  async function listPostingAccounts(): Promise<BbPostingAccount[]> {
    const out: BbPostingAccount[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const answer = await ctx.call("settings/get/postingaccounts", { limit: PAGE, offset }, { write: false });
      const rows = parseRows("settings/get/postingaccounts", parseOne("settings/get/postingaccounts", answer, listEnvelope).data, postingAccountFromWire);
      out.push(...rows);
      if (rows.length < PAGE) break;
    }
    return out;
  }

  async function addPostingAccount(a: { number: number; name: string; parentNumber: number }): Promise<{ number: number; recovered: boolean }> {
    const { recovered } = await writeOnce(
      ctx,
      `posting account ${a.number}`,
      async () => {
        await ctx.call("settings/add/postingaccount", { name: a.name, postingaccount_number: a.number, parent_postingaccount_number: a.parentNumber }, { write: true });
      },
      async () => ((await listPostingAccounts()).some((x) => x.number === a.number && x.name === a.name) ? undefined : null),
    );
    return { number: a.number, recovered };
  }

  async function updatePostingAccount(a: { number: number; name: string }): Promise<void> {
    await writeOnce(
      ctx,
      `rename posting account ${a.number}`,
      async () => {
        await ctx.call("settings/update/postingaccount", { name: a.name, postingaccount_number: a.number }, { write: true });
      },
      async () => ((await listPostingAccounts()).some((x) => x.number === a.number && x.name === a.name) ? undefined : null),
    );
  }

  async function listAccounts(): Promise<BbPaymentAccount[]> {
    const answer = await ctx.call("accounts/get", {}, { write: false });
    return parseRows("accounts/get", parseOne("accounts/get", answer, listEnvelope).data, paymentAccountRow).map((r) => ({ number: r.postingaccount_number, name: r.name ?? "" }));
  }

  async function addAccount(a: BbPaymentAccountInput): Promise<{ number: number; recovered: boolean }> {
    if (a.revisionSafe && a.type !== "cash") throw new AppError("RECORD_INVALID", { detail: "only cash accounts can be revision-safe in BuchhaltungsButler" });
    const { recovered } = await writeOnce(
      ctx,
      `payment account ${a.number}`,
      async () => {
        await ctx.call(
          "accounts/add",
          compact({ type: a.type, name: a.name, postingaccount_number: a.number, receipt_creates_transaction: a.receiptCreatesTransaction, is_revision_safe: a.revisionSafe }),
          { write: true },
        );
      },
      async () => ((await listAccounts()).some((x) => x.number === a.number) ? undefined : null),
    );
    return { number: a.number, recovered };
  }

  async function listCostLocations(): Promise<BbCostLocation[]> {
    const out: BbCostLocation[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const answer = await ctx.call("cost-locations/get", { limit: PAGE, offset }, { write: false });
      const rows = parseRows("cost-locations/get", parseOne("cost-locations/get", answer, listEnvelope).data, costLocationRow).map((r) => ({ code: r.code, name: r.name ?? "" }));
      out.push(...rows);
      if (rows.length < PAGE) break;
    }
    return out;
  }

  async function addCostLocation(c: BbCostLocation): Promise<{ recovered: boolean }> {
    if (!/^[A-Za-z0-9]{1,10}$/.test(c.code)) throw new AppError("RECORD_INVALID", { detail: `cost location code "${c.code}": BuchhaltungsButler accepts 1–10 letters and digits` });
    const { recovered } = await writeOnce(
      ctx,
      `cost location ${c.code}`,
      async () => {
        await ctx.call("cost-locations/add", { code: c.code, name: c.name }, { write: true });
      },
      async () => {
        const answer = await ctx.call("cost-locations/get", { code: c.code }, { write: false });
        return parseOne("cost-locations/get", answer, listEnvelope).data.length > 0 ? undefined : null;
      },
    );
    return { recovered };
  }

  /**
   * Comments cannot be read back through the API. A lost answer is therefore not retried (that could post the
   * comment twice) and not treated as an error either: a comment is a note, not accounting data.
   */
  async function addComment(c: BbCommentInput): Promise<{ delivered: boolean | "unknown" }> {
    const text = c.text.trim();
    if ([...text].length < 2 || [...text].length > 210) throw new AppError("RECORD_INVALID", { detail: "a BuchhaltungsButler comment has 2–210 characters" });
    const target = "receiptId" in c ? { receipt_id_by_customer: Number(c.receiptId) } : { transaction_id_by_customer: Number(c.transactionId) };
    try {
      await ctx.call("comments/add", { ...target, comment_text: text }, { write: true });
      return { delivered: true };
    } catch (e) {
      if (!(e instanceof BbUncertainWrite)) throw e;
      logger().warn({ module: "buchhaltungsbutler", target }, "comment may not have arrived; not repeated");
      return { delivered: "unknown" };
    }
  }

  return { listPostingAccounts, addPostingAccount, updatePostingAccount, listAccounts, addAccount, listCostLocations, addCostLocation, addComment };
}
