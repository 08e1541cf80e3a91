/** Shared look of the setup page and its steps. */
export const card = "rounded-[var(--radius-card)] border border-line bg-surface p-6";
export const primary = "rounded-md bg-brand px-4 py-2 font-medium text-white hover:bg-brand-strong disabled:opacity-60";
