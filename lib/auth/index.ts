import { KyselyAdapter, type Database as AuthDatabase } from "@auth/kysely-adapter";
import type { Kysely } from "kysely";
import NextAuth from "next-auth";
import { db } from "../db";
import { env } from "../env";
import { logger } from "../log";
import { completeLightspeedSignIn, linkUserToTenant } from "./complete-lightspeed-sign-in";
import { SESSION_MAX_AGE_SECONDS, sessionCookie } from "./cookies";
import { cappedExpiry } from "./launch-switch";
import { lightspeedProvider, type LightspeedProfile } from "./lightspeed-provider";

/**
 * Auth.js, configured lazily per request so that `next build` needs no runtime configuration. One provider
 * (Lightspeed), database sessions (server-side revocation on uninstall), our own cookie settings.
 */
export const { handlers, auth, signIn, signOut } = NextAuth(async () => {
  const database = db();
  const base = KyselyAdapter(database as unknown as Kysely<AuthDatabase>);
  return {
    adapter: {
      ...base,
      updateSession: async (session) => base.updateSession!({ ...session, expires: await cappedExpiry(database, session.sessionToken, session.expires) }),
    },
    session: { strategy: "database", maxAge: SESSION_MAX_AGE_SECONDS, updateAge: 15 * 60 },
    providers: [lightspeedProvider()],
    secret: env().AUTH_SECRET,
    trustHost: true,
    pages: { signIn: "/install", error: "/auth/error" },
    cookies: { sessionToken: sessionCookie() },
    logger: {
      error: (error) => logger().warn({ err: error }, "auth error"),
      warn: (code) => logger().warn({ code }, "auth warning"),
      debug: () => {},
    },
    callbacks: {
      async signIn({ account, profile }) {
        if (account?.provider !== "lightspeed" || !profile) return false;
        const p = profile as unknown as LightspeedProfile;
        if (!account.access_token || !account.refresh_token) return "/auth/error?error=MissingTokens";
        await completeLightspeedSignIn(database, {
          acct: p.acct,
          sub: p.sub,
          scope: p.scope,
          accessToken: account.access_token,
          refreshToken: account.refresh_token,
          expiresAt: account.expires_at ?? Math.floor(Date.now() / 1000) + 3600,
        });
        return true;
      },
      async session({ session, user }) {
        const u = user as { tenant_id?: string | null; role?: string | null };
        // Anything but a stored "admin" reads as viewer: a missing or unknown role must not grant more.
        return { ...session, tenantId: u.tenant_id ?? null, role: u.role === "admin" ? "admin" : "viewer" };
      },
    },
    events: {
      async signIn({ user, account }) {
        if (account?.provider === "lightspeed" && user.id) {
          await linkUserToTenant(database, user.id, account.providerAccountId.split(":")[0]!);
        }
      },
    },
  };
});
