import * as z from "zod";

/* Form-field building blocks for the form schemas in lib/ (client-safe: no server imports). */

/** FormData as plain values; a name sent more than once (checkbox groups) becomes an array. */
export function formInput(form: FormData | undefined): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (!form) return out;
  for (const key of new Set(form.keys())) {
    const all = form.getAll(key).map(String);
    out[key] = all.length > 1 ? all : all[0]!;
  }
  return out;
}

/** A checkbox group: absent, one value or several all parse as an array. */
export function formArray<T extends z.ZodType>(item: T) {
  return z.preprocess((v) => (v === undefined || v === "" ? [] : [v].flat()), z.array(item));
}

/** A checkbox: "on" when ticked, absent otherwise. */
export const formCheckbox = z.literal("on").optional().transform((v) => v === "on");


/** A number field: empty means missing (not 0), anything else must satisfy the lib's own number schema. */
export function formNumber<T extends z.ZodType<number>>(schema: T) {
  return z.preprocess((v) => (v === undefined || v === "" ? undefined : Number(v)), schema);
}
