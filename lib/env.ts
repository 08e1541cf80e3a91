import "server-only";
import * as z from "zod";

/**
 * Every environment variable the app reads, in one place. Parsed once per process; a bad or missing value
 * stops the process with a message that names the variable and says what it expects.
 *
 * Secrets get development defaults only outside production, so a fresh clone runs without a .env file
 * while a production deploy can never start on a well-known key.
 */

const DEV_AUTH_SECRET = "dev-only-auth-secret-do-not-use-in-production-0000";
// 32 zero bytes, base64: fine for a laptop, refused in production (see superRefine below).
const DEV_ENCRYPTION_KEYS = "dev:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

const emptyAsUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optionalString = z.preprocess(emptyAsUndefined, z.string().optional());
const bool = z.preprocess(
  emptyAsUndefined,
  z
    .enum(["true", "false", "1", "0"], { error: "expected true or false" })
    .optional()
    .transform((v) => v === "true" || v === "1"),
);
const url = (hint: string) =>
  z.preprocess(emptyAsUndefined, z.url({ error: `expected an absolute URL, ${hint}` }));
const posInt = (def: number, hint: string) =>
  z.preprocess(emptyAsUndefined, z.coerce.number({ error: hint }).int({ error: hint }).positive({ error: hint }).default(def));

/** `kid:base64(32 bytes)` entries, comma-separated; the first one encrypts, all of them decrypt. */
const encryptionKeys = z
  .string({ error: "expected one or more `keyId:base64key` entries (32-byte keys), comma-separated" })
  .transform((raw, ctx) => {
    const keys: { id: string; key: Buffer }[] = [];
    for (const part of raw.split(",").map((p) => p.trim()).filter(Boolean)) {
      const idx = part.indexOf(":");
      const id = idx > 0 ? part.slice(0, idx) : "";
      const key = Buffer.from(idx > 0 ? part.slice(idx + 1) : "", "base64");
      if (!/^[A-Za-z0-9_-]{1,32}$/.test(id) || key.length !== 32) {
        ctx.addIssue({
          code: "custom",
          message: "expected `keyId:base64key` with a 1–32 character id and a 32-byte key (openssl rand -base64 32)",
        });
        return z.NEVER;
      }
      keys.push({ id, key });
    }
    if (keys.length === 0) {
      ctx.addIssue({ code: "custom", message: "expected at least one key" });
      return z.NEVER;
    }
    return keys;
  });

const envObject = z.object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),

    DATABASE_URL: z.preprocess(
      emptyAsUndefined,
      z.string({ error: "expected a postgres:// connection string (the scripts set one when you run them)" })
        .regex(/^postgres(ql)?:\/\//, { error: "expected a postgres:// connection string" }),
    ),
    DATABASE_POOL_MAX: posInt(10, "expected a positive whole number of connections"),

    APP_URL: url("the public base URL of this app, e.g. https://butlerbridge.example.com").default("http://localhost:3000"),
    AUTH_SECRET: optionalString,
    ENCRYPTION_KEYS: optionalString,

    JOBS_DRIVER: z.enum(["inline", "inngest"], { error: "expected `inline` or `inngest`" }).default("inline"),
    INNGEST_SIGNING_KEY: optionalString,
    INNGEST_SIGNING_KEY_FALLBACK: optionalString,
    INNGEST_EVENT_KEY: optionalString,
    INNGEST_BASE_URL: z.preprocess(emptyAsUndefined, z.url({ error: "expected the URL of a self-hosted Inngest server" }).optional()),
    INNGEST_DEV: bool,
    DEMO_MODE: bool,

    LS_CLIENT_ID: optionalString,
    LS_CLIENT_SECRET: optionalString,
    LS_AUTH_BASE_URL: url("Lightspeed's OAuth host").default("https://cloud.lightspeedapp.com"),
    LS_API_BASE_URL: url("Lightspeed's API host").default("https://api.lightspeedapp.com"),
    LS_LAUNCH_JWKS_URL: url("the JWKS that signs Custom Menu Button launches").default("https://cloud.lightspeedapp.com/.well-known/jwks"),
    LS_SCOPES: z.string().default("employee:inventory_read employee:register_read employee:customers_read employee:reports employee:product_cost"),
    LS_FRAME_ORIGINS: z.string().default("https://*.lightspeedapp.com https://*.merchantos.com"),

    BB_API_BASE_URL: url("BuchhaltungsButler's API base").default("https://webapp.buchhaltungsbutler.de/api/v1"),
    BB_PARTNER_CLIENT: optionalString,
    BB_PARTNER_SECRET: optionalString,

    SMTP_URL: z.preprocess(emptyAsUndefined, z.url({ error: "expected smtp://user:pass@host:port" }).optional()),
    MAIL_FROM: z.string().default("Butlerbridge <no-reply@butlerbridge.local>"),

    UNINSTALL_GRACE_DAYS: posInt(30, "expected a positive whole number of days"),
    REVOKED_GRACE_DAYS: posInt(14, "expected a positive whole number of days"),
    STEP_BUDGET_SECONDS: posInt(60, "expected a positive whole number of seconds"),
    DEFAULT_LOG_RETENTION_DAYS: posInt(90, "expected a positive whole number of days"),
    // The poll crons tick every minute; each tenant polls on its own minute of its interval (lib/sync/poll-slot.ts).
    ORDERS_POLL_CRON: z.string().default("* * * * *"),
    PRODUCTS_POLL_CRON: z.string().default("* * * * *"),
    STOCK_POLL_CRON: z.string().default("* * * * *"),
    FLOW_CONCURRENCY: posInt(30, "expected a positive whole number of runs"),
    LOG_RETENTION_CRON: z.string().default("TZ=Europe/Berlin 30 3 * * *"),
});

export const envSchema = envObject
  .superRefine((env, ctx) => {
    // Without a signing key the job endpoint could not tell Inngest from anyone else; only `inngest dev` is exempt.
    if (env.JOBS_DRIVER === "inngest" && !env.INNGEST_DEV && !env.INNGEST_SIGNING_KEY) {
      ctx.addIssue({ code: "custom", path: ["INNGEST_SIGNING_KEY"], message: "required with JOBS_DRIVER=inngest: the signing key from Inngest (or INNGEST_DEV=true against `inngest dev`, never in production)" });
    }
    if (env.NODE_ENV !== "production") return;
    if (env.JOBS_DRIVER === "inline" && !env.DEMO_MODE) {
      ctx.addIssue({
        code: "custom",
        path: ["JOBS_DRIVER"],
        message: "the inline driver is for development and demos: in production use `inngest` (or DEMO_MODE=true for a local demo)",
      });
    }
    // Dev mode turns off Inngest's signature check; even a demo has no use for it (the demo runs the inline driver).
    if (env.INNGEST_DEV) {
      ctx.addIssue({ code: "custom", path: ["INNGEST_DEV"], message: "must be false in production: it accepts unsigned calls to /api/inngest" });
    }
    const required: [keyof typeof env, string][] = [
      ["AUTH_SECRET", "a random secret of at least 32 characters (openssl rand -base64 32)"],
      ["ENCRYPTION_KEYS", "`keyId:base64key` entries (openssl rand -base64 32)"],
    ];
    for (const [key, what] of required) {
      if (!env[key]) ctx.addIssue({ code: "custom", path: [key], message: `required in production: ${what}` });
    }
    if (env.AUTH_SECRET && env.AUTH_SECRET.length < 32) {
      ctx.addIssue({ code: "custom", path: ["AUTH_SECRET"], message: "expected at least 32 characters" });
    }
    if (env.AUTH_SECRET === DEV_AUTH_SECRET || env.ENCRYPTION_KEYS === DEV_ENCRYPTION_KEYS) {
      ctx.addIssue({ code: "custom", path: ["ENCRYPTION_KEYS"], message: "the development default must not be used in production" });
    }
  })
  .transform((env, ctx) => {
    const rawKeys = env.ENCRYPTION_KEYS ?? DEV_ENCRYPTION_KEYS;
    const keys = encryptionKeys.safeParse(rawKeys);
    if (!keys.success) {
      for (const issue of keys.error.issues) ctx.addIssue({ code: "custom", path: ["ENCRYPTION_KEYS"], message: issue.message });
      return z.NEVER;
    }
    return {
      ...env,
      AUTH_SECRET: env.AUTH_SECRET ?? DEV_AUTH_SECRET,
      ENCRYPTION_KEYS: keys.data,
    };
  });

export type Env = z.output<typeof envSchema>;

export class EnvError extends Error {
  constructor(readonly problems: { variable: string; problem: string }[]) {
    super(
      "Invalid environment configuration:\n" +
        problems.map((p) => `  - ${p.variable}: ${p.problem}`).join("\n") +
        "\nSee .env.example for every variable and what it expects.",
    );
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => ({
    variable: issue.path.length ? issue.path.join(".") : "(environment)",
    problem: issue.code === "invalid_type" && issue.input === undefined ? `missing — ${issue.message}` : issue.message,
  }));
  throw new EnvError(problems);
}

/**
 * A few keys, parsed with the same rules, for modules that are evaluated at import time (the Inngest client)
 * where a full parse would make `next build` depend on runtime-only variables.
 */
export function envSubset<K extends keyof typeof envObject.shape>(...keys: K[]): { [P in K]: z.output<(typeof envObject.shape)[P]> } {
  const out: Record<string, unknown> = {};
  const problems: { variable: string; problem: string }[] = [];
  for (const key of keys) {
    const result = envObject.shape[key].safeParse(process.env[key]);
    if (result.success) out[key] = result.data;
    else problems.push(...result.error.issues.map((i) => ({ variable: key, problem: i.message })));
  }
  if (problems.length) throw new EnvError(problems);
  return out as { [P in K]: z.output<(typeof envObject.shape)[P]> };
}

export function envVariableNames(): string[] {
  return Object.keys(envObject.shape);
}

let cached: Env | undefined;

/** The validated environment. Lazy so that `next build` can import modules without a runtime configuration. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Tests and scripts that change process.env call this to re-read it. */
export function resetEnvCache(): void {
  cached = undefined;
}
