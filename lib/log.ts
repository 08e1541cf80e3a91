import { AsyncLocalStorage } from "node:async_hooks";
import pino, { type Logger, type DestinationStream } from "pino";

/**
 * Structured JSON logs. Request id and tenant id come from an async context, so no call site has to pass them;
 * secrets are removed by the redact configuration below, so no call site has to remember to.
 */
export interface LogContext {
  requestId?: string;
  tenantId?: string;
  runId?: string;
  flow?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

export function withLogContext<T>(ctx: LogContext, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...ctx }, fn);
}

export function currentLogContext(): LogContext {
  return storage.getStore() ?? {};
}

const SECRET_KEYS = [
  "password", "secret", "token", "access_token", "refresh_token", "accessToken", "refreshToken", "id_token",
  "api_key", "apiKey", "apiSecret", "api_secret", "apiClient", "client_secret", "clientSecret", "code_verifier",
  "authorization", "Authorization", "cookie", "Cookie", "set-cookie", "credentials", "signature",
];

/** Redaction paths: the key itself at the top level and up to three levels deep. */
export const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`]);

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
      base: { service: "butlerbridge" },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      mixin: () => ({ ...storage.getStore() }),
      serializers: { err: pino.stdSerializers.err },
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
}

let root: Logger | undefined;

export function logger(): Logger {
  root ??= createLogger();
  return root;
}
