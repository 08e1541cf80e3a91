/**
 * The one error taxonomy. Every failure the app knows about has a code; the code decides, in one table,
 * how the failure is handled:
 *  - `retryable`: try again later (Inngest retry, `RetryAfterError` when the upstream said when);
 *  - `record`: permanent for this one record: log it, put it in the inbox, let the run go on;
 *  - `tenant`: the tenant cannot go on (revoked token, wrong credentials): pause its flows, notify once;
 *  - `request`: the caller's request is wrong (validation, auth, not found) and no job is involved.
 * Anything that is not an AppError is `INTERNAL`: a generic message to the user, the full error in the log.
 */
export type ErrorKind = "retryable" | "record" | "tenant" | "request" | "internal";

interface CodeSpec {
  kind: ErrorKind;
  status: number;
  /** Shown to the merchant. Specific per code; the instance message adds the details. */
  en: string;
  de: string;
}

export const APP_ERROR_CODES = {
  UNAUTHENTICATED: { kind: "request", status: 401, en: "Please sign in again.", de: "Bitte melden Sie sich erneut an." },
  FORBIDDEN: { kind: "request", status: 403, en: "You are not allowed to do this.", de: "Dafür fehlt Ihnen die Berechtigung." },
  NOT_FOUND: { kind: "request", status: 404, en: "This item does not exist (any more).", de: "Dieser Eintrag existiert nicht (mehr)." },
  INVALID_INPUT: { kind: "request", status: 422, en: "Some values are not valid.", de: "Einige Angaben sind ungültig." },
  CONFLICT: { kind: "request", status: 409, en: "Someone else changed this in the meantime. Reload and try again.", de: "Das wurde inzwischen geändert. Bitte neu laden und erneut versuchen." },
  LAUNCH_INVALID: { kind: "request", status: 401, en: "This link from Lightspeed is invalid or has expired. Open Butlerbridge again from the Lightspeed back office.", de: "Dieser Link aus Lightspeed ist ungültig oder abgelaufen. Öffnen Sie Butlerbridge erneut aus dem Lightspeed-Backoffice." },
  OAUTH_FAILED: { kind: "request", status: 400, en: "Connecting to Lightspeed did not work. Please start the installation again.", de: "Die Verbindung mit Lightspeed hat nicht geklappt. Bitte starten Sie die Installation erneut." },

  UPSTREAM_UNAVAILABLE: { kind: "retryable", status: 503, en: "The other service is not reachable right now. We will try again automatically.", de: "Der andere Dienst ist gerade nicht erreichbar. Wir versuchen es automatisch erneut." },
  RATE_LIMITED: { kind: "retryable", status: 429, en: "The other service asked us to slow down. We will continue automatically.", de: "Der andere Dienst hat uns gebremst. Wir machen automatisch weiter." },
  OUTCOME_UNKNOWN: { kind: "retryable", status: 503, en: "We could not tell whether the last write arrived. We will check and continue.", de: "Es war unklar, ob der letzte Schreibvorgang angekommen ist. Wir prüfen das und machen weiter." },
  DATABASE_UNAVAILABLE: { kind: "retryable", status: 503, en: "Our database is not reachable right now.", de: "Unsere Datenbank ist gerade nicht erreichbar." },

  RECORD_INVALID: { kind: "record", status: 422, en: "This record has invalid data and was not transferred.", de: "Dieser Datensatz enthält ungültige Daten und wurde nicht übertragen." },
  MAPPING_MISSING: { kind: "record", status: 422, en: "A mapping is missing, so this record could not be booked.", de: "Eine Zuordnung fehlt, daher konnte dieser Datensatz nicht gebucht werden." },
  UPSTREAM_REJECTED: { kind: "record", status: 422, en: "BuchhaltungsButler rejected this record.", de: "BuchhaltungsButler hat diesen Datensatz abgelehnt." },

  LS_AUTH_REVOKED: { kind: "tenant", status: 401, en: "The connection to Lightspeed was revoked or has expired. Reconnect Lightspeed to resume syncing.", de: "Die Verbindung zu Lightspeed wurde widerrufen oder ist abgelaufen. Verbinden Sie Lightspeed neu, um die Synchronisierung fortzusetzen." },
  LS_SCOPE_MISSING: { kind: "tenant", status: 403, en: "Lightspeed refused access to some data: the employee who connected Lightspeed lacks a permission, or the app was authorised without it. Reconnect Lightspeed as an administrator.", de: "Lightspeed verweigert den Zugriff auf einige Daten: Dem Mitarbeiter, der Lightspeed verbunden hat, fehlt eine Berechtigung, oder die App wurde ohne sie autorisiert. Verbinden Sie Lightspeed erneut als Administrator." },
  BB_CREDENTIALS_INVALID: { kind: "tenant", status: 401, en: "BuchhaltungsButler did not accept the API credentials. Check them under Setup → BuchhaltungsButler.", de: "BuchhaltungsButler hat die API-Zugangsdaten nicht akzeptiert. Prüfen Sie sie unter Einrichtung → BuchhaltungsButler." },
  BB_ACCOUNT_INACTIVE: { kind: "tenant", status: 403, en: "Your BuchhaltungsButler account is not active. Reactivate it in BuchhaltungsButler.", de: "Ihr BuchhaltungsButler-Konto ist nicht aktiv. Bitte reaktivieren Sie es in BuchhaltungsButler." },
  BB_DEBTOR_MODE_OFF: { kind: "tenant", status: 409, en: "Debtor posting is switched off in BuchhaltungsButler. Switch Debitoren to “Selektiv” or “Sammelkonto”.", de: "Debitorenbuchung ist in BuchhaltungsButler ausgeschaltet. Stellen Sie Debitoren auf „Selektiv“ oder „Sammelkonto“." },
  LS_CURRENCY_UNSUPPORTED: { kind: "tenant", status: 409, en: "Your Lightspeed account does not keep its books in euro. BuchhaltungsButler books in euro, so Butlerbridge does not transfer this account's sales, products or stock. Nothing has been sent to BuchhaltungsButler.", de: "Ihr Lightspeed-Konto führt seine Bücher nicht in Euro. BuchhaltungsButler bucht in Euro, deshalb überträgt Butlerbridge keine Verkäufe, Artikel oder Bestände dieses Kontos. An BuchhaltungsButler wurde nichts gesendet." },
  TENANT_PAUSED: { kind: "tenant", status: 409, en: "Syncing is paused for this shop until the problem shown above is fixed.", de: "Die Synchronisierung ist pausiert, bis das oben angezeigte Problem behoben ist." },

  INTERNAL: { kind: "internal", status: 500, en: "Something went wrong on our side. We have logged it; please try again.", de: "Bei uns ist etwas schiefgelaufen. Wir haben es protokolliert; bitte versuchen Sie es erneut." },
} as const satisfies Record<string, CodeSpec>;

export type AppErrorCode = keyof typeof APP_ERROR_CODES;

export interface AppErrorOptions {
  /** Specific, actionable detail for the merchant ("payment type 'Klarna' has no account"). */
  detail?: string;
  /** What to do about it, shown in the inbox. */
  fixHint?: string;
  /** Seconds until a retry makes sense (throttling). */
  retryAfterSeconds?: number;
  /** Machine-readable context for logs and the activity log; never shown raw. */
  context?: Record<string, unknown>;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly detail?: string;
  readonly fixHint?: string;
  readonly retryAfterSeconds?: number;
  readonly context?: Record<string, unknown>;

  constructor(code: AppErrorCode, options: AppErrorOptions = {}) {
    super(options.detail ? `${code}: ${options.detail}` : code, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.detail = options.detail;
    this.fixHint = options.fixHint;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.context = options.context;
  }

  get kind(): ErrorKind {
    return APP_ERROR_CODES[this.code].kind;
  }

  get status(): number {
    return APP_ERROR_CODES[this.code].status;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** Every unknown error becomes INTERNAL; the original stays attached as the cause for the log. */
export function toAppError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  return new AppError("INTERNAL", { cause: e });
}

export type Locale = "de" | "en";

export interface UserFacingError {
  code: AppErrorCode;
  message: string;
  detail?: string;
  fixHint?: string;
}

/** What a merchant may see: never the stack, never an unknown error's message. */
export function toUserFacing(e: unknown, locale: Locale = "de"): UserFacingError {
  const err = toAppError(e);
  const spec = APP_ERROR_CODES[err.code];
  if (err.code === "INTERNAL") return { code: err.code, message: spec[locale] };
  return { code: err.code, message: spec[locale], detail: err.detail, fixHint: err.fixHint };
}
