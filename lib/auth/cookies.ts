import { env } from "../env";

/**
 * The session cookie. Over HTTPS it is `SameSite=None; Secure; Partitioned` so it also works when Lightspeed
 * frames the app (CHIPS keeps it in the frame's own jar); on http://localhost (dev, CI) it is a plain Lax cookie.
 */
export function sessionCookie() {
  const secure = env().APP_URL.startsWith("https://");
  return {
    name: secure ? "__Secure-authjs.session-token" : "authjs.session-token",
    options: {
      httpOnly: true,
      path: "/",
      sameSite: secure ? ("none" as const) : ("lax" as const),
      secure,
      ...(secure ? { partitioned: true } : {}),
    },
  };
}

/** A Set-Cookie header for a cookie with the session cookie's attributes; `null` clears it. */
export function cookieHeader(name: string, value: string | null, expires: Date): string {
  const { options } = sessionCookie();
  const parts = [`${name}=${value ?? ""}`, "Path=/", "HttpOnly", `Expires=${(value === null ? new Date(0) : expires).toUTCString()}`, `SameSite=${options.sameSite === "none" ? "None" : "Lax"}`];
  if (options.secure) parts.push("Secure");
  if ("partitioned" in options) parts.push("Partitioned");
  return parts.join("; ");
}

/** Holds a launch's session while the merchant decides whether to leave the account they are signed in to. */
export function pendingLaunchCookieName(): string {
  return `${sessionCookie().name}-launch`;
}

/** Idle lifetime of a session; the launch from the back office opens a shorter one. */
export const SESSION_MAX_AGE_SECONDS = 8 * 3600;
export const LAUNCH_SESSION_SECONDS = 3600;
