"use client";

import { useActionState, useMemo, useState } from "react";
import { useT } from "@/components/i18n-provider";
import { FieldError } from "@/components/field-error";
import { SaveBar } from "@/components/save-bar";
import { actionErrorText, INITIAL_STATE, type MappingFormState } from "@/lib/actions/action-state";
import type { OrderMappingFormValues } from "@/lib/mapping/order-mapping-form";
import type { MessageKey } from "@/lib/i18n/messages";


interface Pt {
  id: string;
  name: string;
  kind: string;
}
interface Account {
  number: number;
  name: string;
  kind: string;
}

const INPUT = "rounded-md border border-line bg-surface px-2 py-1.5 text-sm";

/**
 * A number typed into the mapping (an account, or the payment terms): its label, and under it the error of the last
 * save in plain words, else its hint (`hintId`, shown elsewhere) for screen readers.
 */
function AccountInput({ id, name, label, value, onChange, state, hintId, spaced, errorForm = "account" }: {
  id: string;
  name: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  state: MappingFormState;
  hintId?: string;
  /** Set apart from a heading above it in the same box. */
  spaced?: boolean;
  errorForm?: string;
}) {
  const errorId = `${id}-error`;
  return (
    <>
      <label htmlFor={id} className={`${spaced ? "mt-2 " : ""}block text-sm text-ink-muted`}>{label}</label>
      <input
        id={id}
        name={name}
        inputMode="numeric"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={state.fieldErrors?.[name] ? errorId : hintId}
        className={`${INPUT} mt-1 w-full`}
      />
      <FieldError state={state} form={errorForm} name={name} id={errorId} />
    </>
  );
}

const CARD_KINDS = new Set(["credit card", "ecom"]);
/** Lightspeed's payment-type kinds (its own English codes) → message keys, so the German screen shows German. */
const KIND_LABELS: ReadonlyMap<string, MessageKey> = new Map<string, MessageKey>([
  ["cash", "map.payments.kind.cash"],
  ["credit card", "map.payments.kind.card"],
  ["ecom", "map.payments.kind.ecom"],
  ["gift card", "map.payments.kind.giftCard"],
  ["credit account", "map.payments.kind.account"],
  ["adjustment", "map.payments.kind.adjustment"],
  ["user defined", "map.payments.kind.userDefined"],
]);

export function OrderMappingForm({
  initial,
  paymentTypes,
  accounts,
  action,
  formId = "order-mappings",
  wizard = false,
}: {
  initial: OrderMappingFormValues;
  paymentTypes: Pt[];
  accounts: Account[];
  action: (prev: MappingFormState, form: FormData) => Promise<MappingFormState>;
  formId?: string;
  wizard?: boolean;
}) {
  const { t, locale } = useT();
  const [saved, setSaved] = useState(initial);
  const [values, setValues] = useState(initial);
  const [state, formAction, pending] = useActionState<MappingFormState, FormData>(async (prev, form) => {
    const result = await action(prev, form);
    // What was submitted is now the saved state (the save bar disappears).
    if (result.ok) setSaved(JSON.parse(String(form.get("__snapshot"))) as OrderMappingFormValues);
    return result;
  }, INITIAL_STATE);
  const dirty = JSON.stringify(values) !== JSON.stringify(saved);
  const cash = useMemo(() => new Set(accounts.filter((a) => a.kind === "cash").map((a) => a.number)), [accounts]);
  const cardOnCash = paymentTypes.filter((p) => CARD_KINDS.has(p.kind) && /^tender:(\d+)$/.test(values.paymentTypes[p.id] ?? "") && cash.has(Number(values.paymentTypes[p.id]!.slice(7))));
  const unmapped = paymentTypes.filter((p) => !values.paymentTypes[p.id]);

  return (
    <form id={formId} action={formAction} className="space-y-8">
      {wizard && <input type="hidden" name="__wizard" value="1" />}
      <input type="hidden" name="__snapshot" value={JSON.stringify(values)} />
      <fieldset className="space-y-3">
        <legend className="text-lg font-semibold">{t("map.payments.title")}</legend>
        <p className="text-sm text-ink-muted">{t("map.payments.intro")}</p>
        {cardOnCash.length > 0 && (
          <p role="alert" data-testid="card-on-cash" className="rounded-md bg-danger-soft p-3 text-sm text-danger">
            {t("map.payments.cardOnCash")} {cardOnCash.map((p) => p.name).join(", ")}
          </p>
        )}
        {unmapped.length > 0 && (
          <p className="rounded-md bg-warn-soft p-3 text-sm">
            {t("map.payments.unmapped")} {unmapped.map((p) => p.name).join(", ")}
          </p>
        )}
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            {/* On a phone each row stacks (name above a full-width choice): side by side the account names were cut off. */}
            <thead className="hidden text-ink-muted sm:table-header-group">
              <tr>
                <th scope="col" className="py-2 pr-3 font-medium">{t("map.payments.lsType")}</th>
                <th scope="col" className="py-2 font-medium">{t("map.payments.target")}</th>
              </tr>
            </thead>
            <tbody>
              {paymentTypes.map((p) => (
                <tr key={p.id} className="block border-t border-line py-2 sm:table-row sm:py-0">
                  <td className="block pb-1 sm:table-cell sm:py-2 sm:pr-3">
                    <label htmlFor={`pt-${p.id}`} className="font-medium">{p.name}</label>
                    {KIND_LABELS.has(p.kind) && <span className="ml-2 text-ink-muted">({t(KIND_LABELS.get(p.kind)!)})</span>}
                  </td>
                  <td className="block sm:table-cell sm:py-2">
                    <select
                      id={`pt-${p.id}`}
                      name={`pt.${p.id}`}
                      value={values.paymentTypes[p.id] ?? ""}
                      onChange={(e) => setValues({ ...values, paymentTypes: { ...values.paymentTypes, [p.id]: e.target.value } })}
                      className={`${INPUT} w-full max-w-md`}
                    >
                      <option value="">{t("map.payments.choose")}</option>
                      <optgroup label={t("map.payments.accounts")}>
                        {accounts.map((a) => (
                          <option key={a.number} value={`tender:${a.number}`}>
                            {a.number} · {a.name}
                          </option>
                        ))}
                      </optgroup>
                      <option value="gift_card">{t("map.payments.giftCard")}</option>
                      <option value="on_account">{t("map.payments.onAccount")}</option>
                      <option value="ignore">{t("map.payments.ignore")}</option>
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </fieldset>

      <fieldset className="space-y-3">
        <legend className="text-lg font-semibold">{t("map.tax.title")}</legend>
        <p className="text-sm text-ink-muted">{t("map.tax.intro")}</p>
        <div className="grid gap-3 sm:grid-cols-3">
          {(["19", "7", "0"] as const).map((rate) => (
            <div key={rate} className="rounded-md border border-line p-3">
              <p className="font-medium">{rate} %</p>
              <AccountInput
                id={`tax-${rate}-account`}
                name={`tax.${rate}.account`}
                label={t("map.tax.account")}
                spaced
                value={values.tax[rate].account}
                onChange={(v) => setValues({ ...values, tax: { ...values.tax, [rate]: { ...values.tax[rate], account: v } } })}
                state={state}
              />
              <label htmlFor={`tax-${rate}-vat`} className="mt-2 block text-sm text-ink-muted">{t("map.tax.vat")}</label>
              <select
                id={`tax-${rate}-vat`}
                name={`tax.${rate}.vat`}
                value={values.tax[rate].vat}
                onChange={(e) => setValues({ ...values, tax: { ...values.tax, [rate]: { ...values.tax[rate], vat: e.target.value as "19_vat" } } })}
                className={`${INPUT} mt-1 w-full`}
              >
                <option value="19_vat">{t("map.tax.vat19")}</option>
                <option value="7_vat">{t("map.tax.vat7")}</option>
                <option value="0_none">{t("map.tax.vat0")}</option>
              </select>
            </div>
          ))}
        </div>
        <div className="rounded-md border border-line p-3 sm:max-w-md">
          <p className="font-medium">{t("map.taxFree.title")}</p>
          <p className="mt-1 text-sm text-ink-muted">{t("map.taxFree.intro")}</p>
          <AccountInput id="tax-free-account" name="taxFree" label={t("map.tax.account")} spaced value={values.taxFree} onChange={(v) => setValues({ ...values, taxFree: v })} state={state} hintId="tax-free-account-hint" />
          <p id="tax-free-account-hint" className="mt-1 text-xs text-ink-muted">{t("map.taxFree.hint")}</p>
        </div>
      </fieldset>

      <fieldset className="grid gap-3 sm:grid-cols-4">
        <legend className="mb-2 text-lg font-semibold">{t("map.other.title")}</legend>
        {(
          [
            ["termsDays", "map.other.terms"],
            ["rounding", "map.other.rounding"],
            ["tips", "map.other.tips"],
            ["giftCard", "map.other.giftCard"],
          ] as [keyof OrderMappingFormValues, MessageKey][]
        ).map(([name, label]) => (
          <div key={name}>
            <AccountInput
              id={`other-${name}`}
              name={name}
              label={t(label)}
              value={values[name] as string}
              onChange={(v) => setValues({ ...values, [name]: v })}
              state={state}
              errorForm={name === "termsDays" ? undefined : "account"}
            />
          </div>
        ))}
      </fieldset>

      <fieldset className="space-y-3">
        <legend className="text-lg font-semibold">{t("map.giftCards.title")}</legend>
        <p className="text-sm text-ink-muted">{t("map.giftCards.intro")}</p>
        {(["multi_purpose", "single_purpose"] as const).map((kind) => (
          <label key={kind} className="flex items-start gap-2 text-sm">
            <input
              type="radio"
              name="giftCardKind"
              value={kind}
              checked={values.giftCardKind === kind}
              onChange={() => setValues({ ...values, giftCardKind: kind })}
              className="mt-1"
            />
            <span>{t(kind === "multi_purpose" ? "map.giftCards.multi" : "map.giftCards.single")}</span>
          </label>
        ))}
        {values.giftCardKind === "single_purpose" && (
        <div className="grid gap-3 sm:grid-cols-4">
          <div>
            <label htmlFor="gift-card-vat" className="block text-sm text-ink-muted">{t("map.giftCards.vat")}</label>
            <select
              id="gift-card-vat"
              name="giftCardVat"
              value={values.giftCardVat}
              onChange={(e) => {
                const vat = e.target.value === "7_vat" ? "7_vat" : "19_vat";
                const [from, to] = vat === "7_vat" ? [values.tax["19"].account, values.tax["7"].account] : [values.tax["7"].account, values.tax["19"].account];
                // The revenue accounts of a rate are Automatikkonten that refuse the other rate: follow the rate.
                setValues({ ...values, giftCardVat: vat, giftCardRevenue: values.giftCardRevenue === from || values.giftCardRevenue === "" ? to : values.giftCardRevenue });
              }}
              className={`${INPUT} mt-1 w-full`}
            >
              <option value="19_vat">{t("map.tax.vat19")}</option>
              <option value="7_vat">{t("map.tax.vat7")}</option>
            </select>
          </div>
          <div>
            <AccountInput id="gift-card-revenue" name="giftCardRevenue" label={t("map.giftCards.revenue")} value={values.giftCardRevenue} onChange={(v) => setValues({ ...values, giftCardRevenue: v })} state={state} hintId="gift-card-hint" />
          </div>
        </div>
        )}
        {values.giftCardKind === "single_purpose" && <p id="gift-card-hint" className="text-xs text-ink-muted">{t("map.giftCards.hint")}</p>}
      </fieldset>

      <fieldset className="space-y-3">
        <legend className="text-lg font-semibold">{t("map.advance.title")}</legend>
        <p className="text-sm text-ink-muted">{t("map.advance.intro")}</p>
        <div className="grid gap-3 sm:grid-cols-3">
          {(["19_vat", "7_vat", "0_none"] as const).map((vat) => (
            <div key={vat}>
              <AccountInput id={`advance-${vat}`} name={`advance.${vat}`} label={t(`map.advance.${vat}`)} value={values.advance[vat]} onChange={(v) => setValues({ ...values, advance: { ...values.advance, [vat]: v } })} state={state} hintId="advance-hint" />
            </div>
          ))}
        </div>
        <p id="advance-hint" className="text-xs text-ink-muted">{t("map.advance.hint")}</p>
      </fieldset>

      <div aria-live="polite">
        {state.error && <p role="alert" className="rounded-md bg-danger-soft p-3 text-sm text-danger">{actionErrorText(locale, state.error)}</p>}
        {state.warnings?.map((w) => (
          <p key={w} className="mt-2 rounded-md bg-warn-soft p-3 text-sm">{w}</p>
        ))}
      </div>
      {wizard ? (
        <button type="submit" disabled={pending} className="rounded-md bg-brand px-4 py-2 font-medium text-white hover:bg-brand-strong disabled:opacity-60">
          {pending ? t("save.saving") : t("wizard.saveContinue")}
        </button>
      ) : (
        <SaveBar dirty={dirty} saving={pending} onDiscard={() => setValues(saved)} formId={formId} status={state.ok && state.savedAt ? t("save.saved") : null} />
      )}
    </form>
  );
}
