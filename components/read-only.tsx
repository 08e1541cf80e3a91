import type { ReactNode } from "react";
import type { AppRole } from "@/lib/auth/roles";
import type { MessageKey } from "@/lib/i18n/messages";

type T = (k: MessageKey) => string;

/** Why the controls are missing or greyed out: a viewer should not take it for a fault. */
export function ReadOnlyNote({ t, body = "role.readOnly.body" }: { t: T; body?: MessageKey }) {
  return (
    <section role="note" aria-labelledby="read-only-title" data-testid="read-only-note" className="mb-6 rounded-[var(--radius-card)] border border-line bg-surface-muted p-4">
      <h2 id="read-only-title" className="font-semibold">{t("role.readOnly.title")}</h2>
      <p className="mt-1 text-sm text-ink-muted">{body === "role.readOnly.body" ? t("role.readOnly.body") : t(body)}</p>
    </section>
  );
}

/**
 * Viewers see the same page with every control disabled (a disabled fieldset disables all form controls inside
 * it, nested forms of client components included). The server refuses their actions anyway; this only spares
 * them a button that cannot work.
 */
export function ViewerLock({ role, t, children }: { role: AppRole; t: T; children: ReactNode }) {
  if (role === "admin") return <>{children}</>;
  return (
    <>
      <ReadOnlyNote t={t} />
      <fieldset disabled className="m-0 min-w-0 border-0 p-0">
        {children}
      </fieldset>
    </>
  );
}
