import type { Migration } from "kysely";
import * as m0001 from "./0001_init";
import * as m0003 from "./0003_buchhaltungsbutler";
import * as m0004 from "./0004_tenant_lifecycle";
import * as m0005 from "./0005_order_sync";
import * as m0006 from "./0006_products_stock";
import * as m0007 from "./0007_app";
import * as m0008 from "./0008_launch_security";
import * as m0009 from "./0009_paused_since";
import * as m0010 from "./0010_inline_outbox";
import * as m0011 from "./0011_notification_messages";
import * as m0012 from "./0012_user_roles";
import * as m0013 from "./0013_ls_rate_buckets";

/**
 * Migrations are listed statically (not read from the file system) so the same list works under tsx, vitest
 * and the Next.js bundle. Append new ones here; never rename or edit an applied one.
 */
export const migrations: Record<string, Migration> = {
  "0001_init": m0001,
  "0003_buchhaltungsbutler": m0003,
  "0004_tenant_lifecycle": m0004,
  "0005_order_sync": m0005,
  "0006_products_stock": m0006,
  "0007_app": m0007,
  "0008_launch_security": m0008,
  "0009_paused_since": m0009,
  "0010_inline_outbox": m0010,
  "0011_notification_messages": m0011,
  "0012_user_roles": m0012,
  "0013_ls_rate_buckets": m0013,
};
