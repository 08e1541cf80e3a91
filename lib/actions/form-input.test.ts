import { describe, expect, it } from "vitest";
import { categoryAccountsFormSchema } from "../mapping/mapping-forms";
import { CUTOFF_HOURS, settingsFormSchema, settingsStepFormSchema } from "../settings/settings-form";
import { fieldErrorText } from "./action-state";
import { fieldErrorsOf, formInput } from "./form-input";

function form(values: Record<string, string | string[]>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(values)) for (const x of [v].flat()) f.append(k, x);
  return f;
}

const settings = { "orders.enabled": "on", "orders.schedule": "15", "products.schedule": "", "stock.schedule": "", logRetentionDays: "30", notificationEmail: "", postingMode: "per_sale", cutoffHour: "4", editsAfterSync: "ignore" };

describe("form schemas derived from the stored settings", () => {
  it("parse the Settings form into what the lib saves", () => {
    const v = settingsFormSchema.parse(formInput(form(settings)));
    expect(v.flows).toEqual([
      { flow: "orders", enabled: true, schedule: "15" },
      { flow: "products", enabled: false, schedule: null },
      { flow: "stock", enabled: false, schedule: null },
    ]);
    expect(v.tenant).toEqual({ logRetentionDays: 30, redactPii: false, notificationEmail: undefined });
    expect(v.orders).toEqual({ postingMode: "per_sale", cutoffHour: 4, editsAfterSync: "ignore", updateExistingDebtors: false });
  });

  it("carry the staff access choice, and leave it alone when the form has no such field", () => {
    expect(settingsFormSchema.parse(formInput(form({ ...settings, staffAccess: "none" }))).tenant).toMatchObject({ staffAccess: "none" });
    expect(settingsFormSchema.parse(formInput(form(settings))).tenant).not.toHaveProperty("staffAccess");
    expect(settingsFormSchema.safeParse(formInput(form({ ...settings, staffAccess: "admin" }))).success).toBe(false);
  });

  it("take the cut-off bounds from the order settings schema", () => {
    expect(CUTOFF_HOURS).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const r = settingsStepFormSchema.safeParse(formInput(form({ postingMode: "per_sale", startDate: "2026-01-01", cutoffHour: "13" })));
    expect(r.success).toBe(false);
    expect(fieldErrorsOf(r.error!)).toEqual({ cutoffHour: { code: "range", max: 12 } });
  });

  it("report each bad field under its form name, with a code the browser renders", () => {
    const r = settingsFormSchema.safeParse(formInput(form({ ...settings, notificationEmail: "not-an-address", logRetentionDays: "" })));
    expect(r.success).toBe(false);
    const errors = fieldErrorsOf(r.error!);
    expect(errors).toEqual({ notificationEmail: { code: "email" }, logRetentionDays: { code: "required" } });
    expect(fieldErrorText("en", "notificationEmail", errors.notificationEmail!)).toBe("Enter a valid e-mail address or leave it empty.");
    expect(fieldErrorText("de", "logRetentionDays", errors.logRetentionDays!)).toBe("Bitte eine Zahl von 1 bis 3650 eingeben.");
  });

  it("key category account errors by the account field, with the form's own message", () => {
    const r = categoryAccountsFormSchema.safeParse(formInput(form({ "cat.7|19": "84x", "cat.7|7": "8300", "cat.8|19": "" })));
    expect(r.success).toBe(false);
    const errors = fieldErrorsOf(r.error!);
    expect(Object.keys(errors)).toEqual(["cat.7|19"]);
    expect(fieldErrorText("de", "cat.7|19", errors["cat.7|19"]!, "categories-form")).toBe("Kontonummern bestehen aus 3 bis 9 Ziffern.");
    expect(categoryAccountsFormSchema.parse(formInput(form({ "cat.7|7": "8300", "cat.8|19": "" })))).toEqual({ "7|7": 8300, "8|19": null });
  });
});
