"use client";

import { useT } from "@/components/i18n-provider";

export function UninstallButton({ action }: { action: () => Promise<void> }) {
  const { t } = useT();
  return (
    <form
      action={action}
      onSubmit={(e) => {
        if (!window.confirm(t("setup.danger.confirm"))) e.preventDefault();
      }}
    >
      <button type="submit" className="rounded-md border border-danger px-4 py-2 font-medium text-danger hover:bg-danger-soft">
        {t("setup.danger.button")}
      </button>
    </form>
  );
}
