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

/** Idle lifetime of a session; the launch from the back office opens a shorter one. */
export const SESSION_MAX_AGE_SECONDS = 8 * 3600;
export const LAUNCH_SESSION_SECONDS = 3600;
