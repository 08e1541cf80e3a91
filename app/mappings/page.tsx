import { PageHeader } from "@/components/empty-state";
import { ViewerLock } from "@/components/read-only";
import { FieldMapper } from "@/components/mappings/field-mapper";
import { OrderMappingForm } from "@/components/mappings/order-mapping-form";
import { SignInRequired } from "@/components/sign-in-required";
import { FieldErrorText, SimpleForm } from "@/components/simple-form";
import { getTenantContext } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { toUserFacing } from "@/lib/errors/app-error";
import { fill } from "@/lib/i18n/format";
import type { Locale, MessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import { createLightspeedClient } from "@/lib/lightspeed";
import { FIELD_MAPPER_KINDS } from "@/lib/mapping/field-mapper";
import { loadFieldMapperSamples, type FieldMapperSamples } from "@/lib/mapping/field-mapper-samples";
import { loadFieldRules } from "@/lib/mapping/field-mapper-store";
import { listDebtorChoices, loadMappingContext } from "@/lib/onboarding/mapping-context";
import { listAttributeAxes, listCustomFields } from "@/lib/sync/products/list-products";
import { createWalkInDebtorAction, saveOrderMappingsAction } from "../setup/actions";
import { saveCategoryAccountsAction, saveDefaultDebtorAction, saveFieldRulesAction, saveProductNamesAction } from "./actions";

const card = "rounded-[var(--radius-card)] border border-line bg-surface p-6";
const input = "rounded-md border border-line bg-surface px-2 py-1.5 text-sm";

function Failed({ e, locale }: { e: unknown; locale: Locale }) {
  return <p role="alert" className="rounded-md bg-danger-soft p-3 text-sm text-danger">{toUserFacing(e, locale).message}</p>;
}

export default async function MappingsPage() {
  const { locale, t } = await getT();
  const ctx = await getTenantContext();
  if (!ctx) return <SignInRequired t={t} />;
  const tenantId = ctx.tenantId;
  const [mcResult, debtors, samples, rules, categories, axes, features] = await Promise.all([
    loadMappingContext(db(), tenantId).then(
      (v) => ({ ok: true as const, v }),
      (e: unknown) => ({ ok: false as const, e }),
    ),
    listDebtorChoices(db(), tenantId).catch(() => [] as { number: number; name: string }[]),
    loadFieldMapperSamples(db(), tenantId).catch(() => null as FieldMapperSamples | null),
    Promise.all(FIELD_MAPPER_KINDS.map((k) => loadFieldRules(db(), tenantId, k))),
    createLightspeedClient({ database: db(), tenantId }).listCategories().catch(() => []),
    listAttributeAxes(db(), tenantId).catch(() => []),
    listCustomFields(db(), tenantId).catch(() => []),
  ]);
  const mc = mcResult.ok ? mcResult.v : null;

  return (
    <>
      <PageHeader title={t("page.mappings.title")} />
      <ViewerLock role={ctx.role} t={t}>
      <nav aria-label={t("map.sections")} className="mb-6 flex flex-wrap gap-2 text-sm">
        {(["payments", "debtor", "categories", "products", "fields"] as const).map((s) => (
          <a key={s} href={`#${s}`} className="rounded-md border border-line bg-surface px-3 py-1.5 hover:bg-surface-muted">{t(`map.nav.${s}` as MessageKey)}</a>
        ))}
      </nav>
      <div className="space-y-6">
        <section id="payments" aria-labelledby="payments-title" className={card}>
          <h2 id="payments-title" className="sr-only">{t("map.nav.payments")}</h2>
          {mc ? (
            <OrderMappingForm
              initial={mc.values}
              paymentTypes={mc.paymentTypes.map((p) => ({ id: p.paymentTypeId, name: p.name, kind: p.kind }))}
              accounts={mc.accounts}
              action={saveOrderMappingsAction}
            />
          ) : (
            <Failed e={mcResult.ok ? null : mcResult.e} locale={locale} />
          )}
        </section>

        <section id="debtor" aria-labelledby="debtor-title" className={card}>
          <h2 id="debtor-title" className="text-lg font-semibold">{t("settings.defaultDebtor")}</h2>
          <p className="mt-1 text-sm text-ink-muted">{t("settings.defaultDebtor.help")}</p>
          <div className="mt-3 flex flex-wrap items-end gap-3">
            <form action={saveDefaultDebtorAction} className="flex flex-wrap items-end gap-3">
              <div>
                <label htmlFor="map-debtor" className="block text-sm text-ink-muted">{t("settings.defaultDebtor")}</label>
                <select id="map-debtor" name="defaultDebtor" defaultValue={mc?.mappings.defaultDebtor ? `${mc.mappings.defaultDebtor.postingAccountNumber}|${mc.mappings.defaultDebtor.name}` : ""} className={input}>
                  <option value="">{t("settings.defaultDebtor.choose")}</option>
                  {debtors.map((d) => <option key={d.number} value={`${d.number}|${d.name}`}>{d.number} · {d.name}</option>)}
                </select>
              </div>
              <button type="submit" className="rounded-md bg-brand px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-strong">{t("save.save")}</button>
            </form>
            <form action={createWalkInDebtorAction}>
              <button type="submit" className="rounded-md border border-line px-3 py-1.5 text-sm font-medium hover:bg-surface-muted">{t("settings.createWalkIn")}</button>
            </form>
          </div>
        </section>

        <section id="categories" aria-labelledby="categories-title" className={card}>
          <h2 id="categories-title" className="text-lg font-semibold">{t("map.categories.title")}</h2>
          <p className="mt-1 mb-3 text-sm text-ink-muted">{t("map.categories.intro")}</p>
          {categories.length === 0 ? (
            <p className="text-sm text-ink-muted">{t("map.categories.empty")}</p>
          ) : (
            <SimpleForm id="categories-form" action={saveCategoryAccountsAction}>
              <div className="max-h-96 overflow-auto">
                <table className="w-full text-left text-sm">
                  <thead className="text-ink-muted"><tr><th scope="col" className="py-1.5 font-medium">{t("map.categories.category")}</th><th scope="col" className="py-1.5 font-medium">19 %</th><th scope="col" className="py-1.5 font-medium">7 %</th></tr></thead>
                  <tbody>
                    {categories.slice(0, 200).map((c) => (
                      <tr key={c.categoryId} className="border-t border-line">
                        <th scope="row" className="py-1.5 pr-3 font-normal">{c.fullPathName || c.name}</th>
                        {(["19", "7"] as const).map((r) => (
                          <td key={r} className="py-1.5 pr-3">
                            <input aria-label={fill(t("map.categories.accountFor"), { category: c.name, rate: r })} name={`cat.${c.categoryId}|${r}`} inputMode="numeric" defaultValue={mc ? (mc.mappings.categories.get(`${c.categoryId}|${r}`)?.account ?? "") : ""} className={`${input} w-24`} />
                            <FieldErrorText name={`cat.${c.categoryId}|${r}`} />
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </SimpleForm>
          )}
        </section>

        <section id="products" aria-labelledby="products-title" className={card}>
          <h2 id="products-title" className="text-lg font-semibold">{t("map.products.title")}</h2>
          <p className="mt-1 mb-3 text-sm text-ink-muted">{t("map.products.intro")}</p>
          {axes.length === 0 && features.length === 0 ? (
            <p className="text-sm text-ink-muted">{t("map.products.empty")}</p>
          ) : (
            <SimpleForm id="products-form" action={saveProductNamesAction}>
              <div className="grid gap-4 md:grid-cols-2">
                {axes.flatMap((s) =>
                  s.axes.map((a) => (
                    <div key={`${s.attributeSetId}|${a.axis}`}>
                      <label htmlFor={`attr-${s.attributeSetId}-${a.axis}`} className="block text-sm text-ink-muted">{s.name}: {a.lsName}</label>
                      <input id={`attr-${s.attributeSetId}-${a.axis}`} name={`attr.${s.attributeSetId}|${a.axis}`} defaultValue={a.mappedName ?? ""} placeholder={a.lsName} className={`${input} mt-1 w-full`} />
                    </div>
                  )),
                )}
                {features.map((f) => (
                  <div key={f.customField}>
                    <label htmlFor={`feat-${f.customField}`} className="block text-sm text-ink-muted">{fill(t("map.products.feature"), { name: f.customField, n: f.products })}</label>
                    <input id={`feat-${f.customField}`} name={`feat.${f.customField}`} defaultValue={f.mapping ? ("name" in f.mapping ? f.mapping.name : "-") : ""} placeholder={f.customField} className={`${input} mt-1 w-full`} />
                  </div>
                ))}
              </div>
            </SimpleForm>
          )}
        </section>

        <section id="fields" aria-labelledby="fields-title" className={card}>
          <h2 id="fields-title" className="text-lg font-semibold">{t("fm.title")}</h2>
          <p className="mt-1 mb-4 text-sm text-ink-muted">{t("fm.intro")}</p>
          <div className="space-y-8">
            {FIELD_MAPPER_KINDS.map((kind, i) => (
              <div key={kind}>
                <h3 className="mb-2 font-semibold">{t(`fm.kind.${kind}` as MessageKey)}</h3>
                <FieldMapper kind={kind} initial={rules[i]!.rules} sample={samples?.[kind]?.record ?? null} sampleLabel={samples?.[kind]?.label ?? null} action={saveFieldRulesAction} />
              </div>
            ))}
          </div>
        </section>
      </div>
      </ViewerLock>
    </>
  );
}

