/** BuchhaltungsButler: the only module that speaks to its API. */
export { createBbClient, type BbClient, type BbClientOptions } from "./client";
export { saveBbCredentials, loadBbCredentials, loadStoredBbCredentials } from "./credentials";
export { syncDebtorIndex, refreshDebtorIndexIfStale, findDebtorByEmail, findDebtorByCustomerNumber, findDebtorByNumber, debtorIndexSyncedAt, normaliseEmail } from "./debtor-index";
export { createRateLimiter, BB_RATE_LIMITS, BB_BATCH_PATHS, type RateLimiter, type RateLimits, type RateLimiterOptions } from "./rate-limiter";
export { bbErrorToAppError } from "./errors";
export * from "./types";
export { BB_CURRENCY } from "./currency";
