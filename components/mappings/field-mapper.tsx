"use client";

import { useActionState, useState } from "react";
import { useT } from "@/components/i18n-provider";
import { SaveBar } from "@/components/save-bar";
import { actionErrorText, INITIAL_STATE, type ActionState } from "@/lib/actions/action-state";
import { applyFieldMapping, SOURCE_FIELDS, TARGET_FIELDS, type FieldMapperKind, type FieldRule, type SourceRecord, type Transform } from "@/lib/mapping/field-mapper";
import type { MessageKey } from "@/lib/i18n/messages";


const OPS: Transform["op"][] = ["trim", "case", "split_street", "concat", "lookup", "default", "truncate"];

function newTransform(op: Transform["op"]): Transform {
  switch (op) {
    case "case":
      return { op, mode: "upper" };
    case "split_street":
      return { op, part: "street" };
    case "concat":
      return { op, fields: ["lastName"], separator: " " };
    case "lookup":
      return { op, table: [{ from: "", to: "" }], otherwise: "keep" };
    case "default":
      return { op, value: "" };
    case "truncate":
      return { op };
    default:
      return { op: "trim" };
  }
}

/**
 * Source field → BB field with transforms, previewed live on a real recent record (the same pure function the
 * flows apply, running in the browser).
 */
export function FieldMapper({
  kind,
  initial,
  sample,
  sampleLabel,
  action,
}: {
  kind: FieldMapperKind;
  initial: FieldRule[];
  sample: SourceRecord | null;
  sampleLabel: string | null;
  action: (prev: ActionState, form: FormData) => Promise<ActionState>;
}) {
  const { t, locale } = useT();
  const [saved, setSaved] = useState(initial);
  const [rules, setRules] = useState(initial);
  const [state, formAction, pending] = useActionState(async (prev: ActionState, form: FormData) => {
    const result = await action(prev, form);
    if (result.ok) setSaved(JSON.parse(String(form.get("rules"))) as FieldRule[]);
    return result;
  }, INITIAL_STATE);
  const dirty = JSON.stringify(rules) !== JSON.stringify(saved);
  const preview = sample ? applyFieldMapping(kind, sample, rules) : null;
  const sources = SOURCE_FIELDS[kind];
  const update = (i: number, rule: FieldRule) => setRules(rules.map((r, j) => (j === i ? rule : r)));
  const input = "rounded-md border border-line bg-surface px-2 py-1 text-sm";
  const formId = `field-map-${kind}`;

  return (
    <form id={formId} action={formAction} className="space-y-4">
      <input type="hidden" name="kind" value={kind} />
      <input type="hidden" name="rules" value={JSON.stringify(rules)} />
      <div className="grid gap-6 lg:grid-cols-[3fr_2fr]">
        <ul className="space-y-3">
          {rules.map((rule, i) => (
            <li key={i} className="rounded-md border border-line p-3" data-testid={`rule-${rule.target}`}>
              <div className="flex flex-wrap items-end gap-3">
                <div>
                  <label htmlFor={`${kind}-${i}-source`} className="block text-xs text-ink-muted">{t("fm.source")}</label>
                  <select id={`${kind}-${i}-source`} value={rule.source ?? ""} onChange={(e) => update(i, { ...rule, source: e.target.value || null })} className={input}>
                    <option value="">{t("fm.noSource")}</option>
                    {sources.map((s) => <option key={s} value={s}>{s}</option>)}
                  </select>
                </div>
                <span aria-hidden="true" className="pb-1 text-ink-muted">→</span>
                <div>
                  <label htmlFor={`${kind}-${i}-target`} className="block text-xs text-ink-muted">{t("fm.target")}</label>
                  <select id={`${kind}-${i}-target`} value={rule.target} onChange={(e) => update(i, { ...rule, target: e.target.value })} className={input}>
                    {TARGET_FIELDS[kind].map((f) => <option key={f.key} value={f.key}>{f.key} (≤ {f.maxLength})</option>)}
                  </select>
                </div>
                <button type="button" onClick={() => setRules(rules.filter((_, j) => j !== i))} className="ml-auto rounded-md px-2 py-1 text-sm text-danger hover:bg-danger-soft">
                  {t("fm.removeRule")}
                </button>
              </div>
              <ol className="mt-2 space-y-2">
                {rule.transforms.map((tr, k) => (
                  <li key={k} className="flex flex-wrap items-center gap-2 text-sm">
                    <span className="font-medium">{t(`fm.op.${tr.op}` as MessageKey)}</span>
                    <TransformFields kind={kind} id={`${kind}-${i}-${k}`} tr={tr} onChange={(n) => update(i, { ...rule, transforms: rule.transforms.map((x, m) => (m === k ? n : x)) })} />
                    <button type="button" aria-label={`${t("fm.removeTransform")} ${t(`fm.op.${tr.op}` as MessageKey)}`} onClick={() => update(i, { ...rule, transforms: rule.transforms.filter((_, m) => m !== k) })} className="rounded px-1 text-ink-muted hover:text-danger">
                      ✕
                    </button>
                  </li>
                ))}
              </ol>
              <div className="mt-2">
                <label htmlFor={`${kind}-${i}-add`} className="sr-only">{t("fm.addTransform")}</label>
                <select id={`${kind}-${i}-add`} value="" onChange={(e) => e.target.value && update(i, { ...rule, transforms: [...rule.transforms, newTransform(e.target.value as Transform["op"])] })} className={input}>
                  <option value="">{t("fm.addTransform")}</option>
                  {OPS.map((op) => <option key={op} value={op}>{t(`fm.op.${op}` as MessageKey)}</option>)}
                </select>
              </div>
            </li>
          ))}
          <li>
            <button type="button" onClick={() => setRules([...rules, { target: TARGET_FIELDS[kind][0]!.key, source: sources[0]!, transforms: [] }])} className="rounded-md border border-line px-3 py-1.5 text-sm font-medium hover:bg-surface-muted">
              {t("fm.addRule")}
            </button>
          </li>
        </ul>
        <aside aria-labelledby={`${kind}-preview`} className="rounded-md bg-surface-muted p-3">
          <h4 id={`${kind}-preview`} className="font-semibold">{t("fm.preview")}</h4>
          {!preview ? (
            <p className="mt-2 text-sm text-ink-muted">{t("fm.noSample")}</p>
          ) : (
            <>
              <p className="mt-1 text-xs text-ink-muted">{sampleLabel}</p>
              <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-3 gap-y-1 text-sm" data-testid={`preview-${kind}`}>
                {Object.entries(preview.values).map(([k, v]) => (
                  <div key={k} className="contents">
                    <dt className="text-ink-muted">{k}</dt>
                    <dd data-testid={`preview-${kind}-${k}`} className="break-all font-mono">{v || "—"}</dd>
                  </div>
                ))}
              </dl>
              {preview.problems.length > 0 && (
                <ul className="mt-2 space-y-1 text-sm text-danger">
                  {preview.problems.map((p, i) => <li key={i}>{p.target}: {p.detail}</li>)}
                </ul>
              )}
            </>
          )}
        </aside>
      </div>
      {state.error && <p role="alert" className="rounded-md bg-danger-soft p-3 text-sm text-danger">{actionErrorText(locale, state.error)}</p>}
      {Object.keys(state.fieldErrors ?? {}).some((k) => k === "rules" || k.startsWith("rules.")) && <p role="alert" className="text-sm text-danger">{t("form.error.rules")}</p>}
      <SaveBar dirty={dirty} saving={pending} onDiscard={() => setRules(saved)} formId={formId} status={state.ok && state.savedAt ? t("save.saved") : null} />
    </form>
  );
}

function TransformFields({ kind, id, tr, onChange }: { kind: FieldMapperKind; id: string; tr: Transform; onChange: (t: Transform) => void }) {
  const { t } = useT();
  const input = "rounded-md border border-line bg-surface px-2 py-1 text-sm";
  switch (tr.op) {
    case "case":
      return (
        <select aria-label={t("fm.op.case")} id={id} value={tr.mode} onChange={(e) => onChange({ ...tr, mode: e.target.value as "upper" })} className={input}>
          <option value="upper">{t("fm.case.upper")}</option>
          <option value="lower">{t("fm.case.lower")}</option>
          <option value="title">{t("fm.case.title")}</option>
        </select>
      );
    case "split_street":
      return (
        <select aria-label={t("fm.op.split_street")} id={id} value={tr.part} onChange={(e) => onChange({ ...tr, part: e.target.value as "street" })} className={input}>
          <option value="street">{t("fm.split.street")}</option>
          <option value="number">{t("fm.split.number")}</option>
          <option value="street_and_number">{t("fm.split.both")}</option>
        </select>
      );
    case "concat":
      return (
        <>
          <select aria-label={t("fm.concat.field")} id={id} value={tr.fields[0]} onChange={(e) => onChange({ ...tr, fields: [e.target.value] })} className={input}>
            {SOURCE_FIELDS[kind].map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
          <input aria-label={t("fm.concat.separator")} value={tr.separator} maxLength={5} onChange={(e) => onChange({ ...tr, separator: e.target.value })} className={`${input} w-14`} />
        </>
      );
    case "lookup":
      return (
        <>
          {tr.table.map((row, r) => (
            <span key={r} className="inline-flex items-center gap-1">
              <input aria-label={t("fm.lookup.from")} value={row.from} onChange={(e) => onChange({ ...tr, table: tr.table.map((x, j) => (j === r ? { ...x, from: e.target.value } : x)) })} className={`${input} w-24`} />
              →
              <input aria-label={t("fm.lookup.to")} value={row.to} onChange={(e) => onChange({ ...tr, table: tr.table.map((x, j) => (j === r ? { ...x, to: e.target.value } : x)) })} className={`${input} w-24`} />
            </span>
          ))}
          <button type="button" onClick={() => onChange({ ...tr, table: [...tr.table, { from: "", to: "" }] })} className="rounded px-1 text-sm text-brand-strong underline">
            {t("fm.lookup.add")}
          </button>
        </>
      );
    case "default":
      return <input aria-label={t("fm.op.default")} id={id} value={tr.value ?? ""} onChange={(e) => onChange({ ...tr, value: e.target.value })} className={`${input} w-40`} />;
    case "truncate":
      return <input aria-label={t("fm.truncate.max")} id={id} type="number" min={1} placeholder={t("fm.truncate.bb")} value={tr.max ?? ""} onChange={(e) => onChange({ op: "truncate", ...(e.target.value ? { max: Number(e.target.value) } : {}) })} className={`${input} w-24`} />;
    default:
      return null;
  }
}
