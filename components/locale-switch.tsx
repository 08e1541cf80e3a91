"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import type { Locale } from "@/lib/i18n/messages";

const LABELS: Record<Locale, string> = { de: "Deutsch", en: "English" };

export function LocaleSwitch({ locale, label }: { locale: Locale; label: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <label className="flex items-center gap-2 text-sm text-ink-muted">
      <span>{label}</span>
      <select
        className="rounded-md border border-line bg-surface px-2 py-1 text-ink"
        value={locale}
        disabled={pending}
        onChange={(e) => {
          document.cookie = `bb_locale=${e.target.value}; path=/; max-age=31536000; samesite=lax`;
          startTransition(() => router.refresh());
        }}
      >
        {(Object.keys(LABELS) as Locale[]).map((l) => (
          <option key={l} value={l}>
            {LABELS[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
