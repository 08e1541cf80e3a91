import * as z from "zod";
import { formCheckbox } from "../../actions/form-input";
import { stockSettingsSchema } from "./stock-settings";

const stored = stockSettingsSchema.shape;

/** An account field: empty means "the chart's default" (the stored setting is left unset), not 0. */
const optionalAccount = z.preprocess((v) => (v === undefined || v === "" ? undefined : Number(v)), stored.stockAccount);

/**
 * The stock settings form (stock page). Bounds and choices come from the stored schema, so the form never
 * accepts what the stock sync would refuse to read.
 */
export const stockSettingsFormSchema = z
  .object({
    availableFormula: stored.availableFormula.unwrap(),
    managedInBb: formCheckbox,
    valuationFrequency: stored.valuationFrequency.unwrap(),
    firstValuation: stored.firstValuation.unwrap(),
    stockAccount: optionalAccount,
    stockChangeAccount: optionalAccount,
  })
  .superRefine((v, ctx) => {
    // One account on both sides would post a valuation that changes nothing in the books.
    if (v.stockAccount !== undefined && v.stockAccount === v.stockChangeAccount) {
      ctx.addIssue({ code: "custom", path: ["stockChangeAccount"], message: "stock and stock-change account must differ" });
    }
  });

export type StockSettingsForm = z.output<typeof stockSettingsFormSchema>;
