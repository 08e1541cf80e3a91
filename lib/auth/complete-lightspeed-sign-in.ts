import { toJson, type Database } from "../db";
import { logger } from "../log";
import { createLightspeedClient, saveLightspeedTokens } from "../lightspeed";
import { BB_CURRENCY } from "../buchhaltungsbutler";
import { AppError } from "../errors/app-error";
import { installTenant } from "../tenants/install-tenant";
import { pauseTenant, resumeTenant } from "../tenants/pause-tenant";

export interface LightspeedSignIn {
  acct: string;
  sub: string;
  scope: string[];
  accessToken: string;
  refreshToken: string;
  /** Seconds since the epoch (Auth.js `expires_at`). */
  expiresAt: number;
}

/**
 * After Lightspeed's consent: create or reuse the tenant for the account and store the fresh token pair,
 * encrypted, on EVERY sign-in (refresh tokens rotate; a stale one would be dead).
 */
export async function completeLightspeedSignIn(database: Database, input: LightspeedSignIn): Promise<{ tenantId: string; isNew: boolean }> {
  const tenant = await installTenant(database, { lsAccountId: input.acct, actor: `lightspeed-user:${input.sub}` });
  await saveLightspeedTokens(database, tenant.tenantId, {
    accessToken: input.accessToken,
    refreshToken: input.refreshToken,
    expiresAt: new Date(input.expiresAt * 1000),
    scopes: input.scope,
    accountId: input.acct,
  });
  await resumeTenant(database, tenant.tenantId, ["LS_AUTH_REVOKED", "LS_SCOPE_MISSING"], `lightspeed-user:${input.sub}`);
  // The account name makes the dashboard and the audit log readable; not being able to read it is not fatal.
  try {
    const client = createLightspeedClient({ database, tenantId: tenant.tenantId });
    const account = await client.getAccount();
    // BB books in euro: an account in another currency is refused here, once and visibly, not by amounts that
    // would be posted as euro further down. Decided before the shops are read, so that failing to read them
    // cannot let such an account through.
    if (account.currency && account.currency !== BB_CURRENCY) {
      await pauseTenant(database, tenant.tenantId, new AppError("LS_CURRENCY_UNSUPPORTED", { context: { currency: account.currency } }));
    } else if (account.currency === BB_CURRENCY) {
      await resumeTenant(database, tenant.tenantId, ["LS_CURRENCY_UNSUPPORTED"], `lightspeed-user:${input.sub}`);
    }
    await database.updateTable("tenants").set({ name: account.name, updated_at: new Date() }).where("id", "=", tenant.tenantId).execute();
    const shops = await client.listShops();
    await database
      .updateTable("connections")
      .set({
        meta: toJson({
          accountName: account.name,
          currency: account.currency,
          shops: shops.filter((s) => !s.archived).map((s) => ({ shopId: s.shopId, name: s.name, timeZone: s.timeZone })),
        }),
      })
      .where("tenant_id", "=", tenant.tenantId)
      .where("provider", "=", "lightspeed")
      .execute();
  } catch (e) {
    logger().warn({ err: e, tenantId: tenant.tenantId }, "could not read the Lightspeed account name");
  }
  return { tenantId: tenant.tenantId, isNew: tenant.isNew };
}

/**
 * Binds a signed-in user to the tenant of the Lightspeed account they authorised. Authorising an app takes an
 * administrator in Lightspeed, so whoever completes OAuth administers Butlerbridge.
 */
export async function linkUserToTenant(database: Database, userId: string, lsAccountId: string): Promise<void> {
  const tenant = await database.selectFrom("tenants").select("id").where("ls_account_id", "=", lsAccountId).executeTakeFirst();
  if (!tenant) return;
  await database.updateTable("User").set({ tenant_id: tenant.id, role: "admin" }).where("id", "=", userId).execute();
}
