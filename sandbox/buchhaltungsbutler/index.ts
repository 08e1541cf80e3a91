export { startBbSandbox, type BbSandbox, type BbSandboxOptions, type SandboxStats, type SandboxState } from "./server";
export { DEFAULT_LIMITS, DEFAULT_STRICTNESS, type SbLimits, type SbStrictness } from "./context";
export { NO_FAULTS, type FaultConfig } from "./faults";
export { DEMO_PARTNER, DEMO_TENANT, EXTRA_TENANTS } from "./demo";
export { inspectTenant } from "./inspect";
export { trialBalance } from "./ledger";
export type { SbTenant, TenantSeed, SbPartner } from "./model";
