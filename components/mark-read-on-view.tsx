"use client";

import { useEffect } from "react";

/** Opening the inbox counts as reading it (the bell's count drops); nothing is resolved by this. */
export function MarkReadOnView({ action, unread }: { action: () => Promise<void>; unread: number }) {
  useEffect(() => {
    if (unread > 0) void action();
  }, [action, unread]);
  return null;
}
