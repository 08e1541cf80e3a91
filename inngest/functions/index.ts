import type { AnyJobDefinition } from "../define";
import { logRetention } from "./log-retention";
import { logRetentionSweep } from "./log-retention-sweep";
import { tenantPurge } from "./tenant-purge";

/** Every job the app has. The serve route and the inline driver both read this list. */
export const jobDefinitions: AnyJobDefinition[] = [logRetentionSweep, logRetention, tenantPurge];
