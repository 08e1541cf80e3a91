"use client";

import Link from "next/link";
import { useT } from "./i18n-provider";
import { useLiveStatus } from "./use-live-status";
import { fill } from "@/lib/i18n/format";

export function NotificationBell({ initialUnread }: { initialUnread: number }) {
  const { t } = useT();
  const { data } = useLiveStatus(undefined);
  const unread = data?.unread ?? initialUnread;
  const label = unread > 0 ? fill(t("bell.unread"), { n: unread }) : t("bell.none");
  return (
    <Link href="/notifications" aria-label={label} title={label} className="relative inline-flex h-9 w-9 items-center justify-center rounded-md text-ink-muted hover:bg-surface-muted hover:text-ink">
      <svg aria-hidden="true" viewBox="0 0 24 24" className="h-5 w-5" fill="none" stroke="currentColor" strokeWidth="2">
        <path d="M6 8a6 6 0 1 1 12 0c0 7 3 8 3 8H3s3-1 3-8" />
        <path d="M10.3 20a1.94 1.94 0 0 0 3.4 0" />
      </svg>
      {unread > 0 && (
        <span data-testid="bell-count" className="absolute -right-0.5 -top-0.5 min-w-5 rounded-full bg-danger px-1 text-center text-xs font-semibold leading-5 text-white">
          {unread > 99 ? "99+" : unread}
        </span>
      )}
    </Link>
  );
}
