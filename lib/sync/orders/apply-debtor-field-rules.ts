import { AppError } from "../../errors/app-error";
import type { LsCustomer } from "../../lightspeed/domain";
import { addressSource, applyFieldMapping, customerSource, type FieldRule } from "../../mapping/field-mapper";
import type { DebtorFields } from "./choose-debtor";

/** Fields the merchant's field mapping may not change: they are how a debtor is found again (exactly once). */
const KEYS = new Set(["customerNumber", "email"]);

/**
 * The merchant's own field mapping (Mappings → Fields), applied on top of the default debtor fields. A value
 * that is still too long for BB fails the sale with what to change, it is never cut without a rule saying so.
 */
export function applyDebtorFieldRules(fields: DebtorFields, customer: LsCustomer, rules: { customer: FieldRule[] | null; address: FieldRule[] | null }): DebtorFields {
  const out: DebtorFields = { ...fields };
  const problems: string[] = [];
  for (const [kind, source, list] of [
    ["customer", customerSource(customer), rules.customer],
    ["address", addressSource(customer), rules.address],
  ] as const) {
    if (!list) continue;
    const result = applyFieldMapping(kind, source, list);
    for (const p of result.problems) if (p.kind === "too_long" || p.kind === "unknown_source" || p.kind === "unknown_target") problems.push(`${p.target}: ${p.detail}`);
    for (const [target, value] of Object.entries(result.values)) {
      if (KEYS.has(target)) continue;
      const key = target as keyof DebtorFields;
      if (value === "") {
        if (key !== "name") delete out[key];
      } else (out as unknown as Record<string, string>)[key] = value;
    }
  }
  if (!out.name) problems.push("name: the field mapping leaves the debtor without a name");
  if (problems.length) {
    throw new AppError("RECORD_INVALID", {
      detail: `Customer ${customer.customerId}: ${problems.join("; ")}`,
      fixHint: "Adjust the field mapping under Mappings → Fields (e.g. add “truncate”), or correct the customer in Lightspeed.",
      context: { customerId: customer.customerId, dedupeKey: "field-mapping:customer" },
    });
  }
  return out;
}
