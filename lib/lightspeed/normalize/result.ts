import type * as z from "zod";
import type { LsMalformedRecord } from "../domain";
import { describeIssues } from "./describe-issues";

export type Normalized<T> = { ok: true; value: T } | { ok: false; malformed: LsMalformedRecord };

/** Parses one record; a failure becomes a malformed record that names every problem, never an exception. */
export function normalizeWith<S extends z.ZodType>(entity: string, idField: string, schema: S, raw: unknown): Normalized<z.output<S>> {
  // Inputs are only needed to word the problems, and reporting them makes every parse twice as slow.
  const fast = schema.safeParse(raw);
  if (fast.success) return { ok: true, value: fast.data };
  const parsed = schema.safeParse(raw, { reportInput: true });
  if (parsed.success) return { ok: true, value: parsed.data };
  const rawId = raw && typeof raw === "object" ? (raw as Record<string, unknown>)[idField] : undefined;
  const id = typeof rawId === "string" && rawId ? rawId : null;
  const label = id ? `${entity} ${id}` : entity;
  return { ok: false, malformed: { entity, id, problems: describeIssues(label, raw, parsed.error.issues), raw } };
}

/** `Entity` in a list response: absent → [], an object → [object], an array → itself. */
export function collection(body: unknown, key: string): unknown[] {
  if (!body || typeof body !== "object") return [];
  const v = (body as Record<string, unknown>)[key];
  if (v === undefined || v === null || v === "") return [];
  return Array.isArray(v) ? v : [v];
}
