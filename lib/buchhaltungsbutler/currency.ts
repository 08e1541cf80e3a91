/**
 * The one currency BuchhaltungsButler's receipts and payments are booked in here. A Lightspeed account in any
 * other currency is refused when it connects (lib/auth/complete-lightspeed-sign-in.ts), so every amount the sync
 * sends is in this currency.
 */
export const BB_CURRENCY = "EUR";
