import type { OAuthConfig } from "next-auth/providers";
import { env } from "../env";
import { verifyLightspeedAccessToken } from "../lightspeed";

export interface LightspeedProfile {
  acct: string;
  sub: string;
  scope: string[];
  [claim: string]: unknown;
}

/**
 * Lightspeed R-Series as an Auth.js OAuth provider. There is no userinfo endpoint: the account and user ids
 * are claims of the access token (a JWT), verified against Lightspeed's JWKS. Tokens are kept encrypted in our
 * connections table (see callbacks.signIn), so `account()` stores none of them in Auth.js's Account table.
 */
export function lightspeedProvider(): OAuthConfig<LightspeedProfile> {
  const e = env();
  return {
    id: "lightspeed",
    name: "Lightspeed Retail",
    type: "oauth",
    clientId: e.LS_CLIENT_ID,
    clientSecret: e.LS_CLIENT_SECRET,
    authorization: { url: `${e.LS_AUTH_BASE_URL}/auth/oauth/authorize`, params: { scope: e.LS_SCOPES } },
    token: `${e.LS_AUTH_BASE_URL}/auth/oauth/token`,
    userinfo: {
      // Never fetched: Auth.js calls `request` instead.
      url: `${e.LS_AUTH_BASE_URL}/auth/oauth/userinfo`,
      request: async ({ tokens }: { tokens: { access_token?: string } }) => {
        if (!tokens.access_token) throw new Error("Lightspeed returned no access token");
        const claims = await verifyLightspeedAccessToken(tokens.access_token);
        return { ...claims, acct: claims.acct, sub: claims.sub, scope: claims.scope };
      },
    },
    client: { token_endpoint_auth_method: "client_secret_post" },
    checks: ["pkce", "state"],
    profile: (p) => ({ id: `${p.acct}:${p.sub}`, name: `Lightspeed ${p.acct}`, email: null }),
    account: () => ({}),
  };
}
