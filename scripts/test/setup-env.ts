import { inject } from "vitest";
import { resetEnvCache } from "@/lib/env";

(process.env as Record<string, string>).NODE_ENV = "test";
process.env.DATABASE_URL = inject("databaseUrl");
process.env.LOG_LEVEL ??= "silent";
process.env.JOBS_DRIVER = "inline";
resetEnvCache();
