import type { AnyJobDefinition } from "../define";
import { credentialsRotation } from "./credentials-rotation";
import { debtorIndexRefresh } from "./debtor-index-refresh";
import { logRetention } from "./log-retention";
import { logRetentionSweep } from "./log-retention-sweep";
import { notificationsEmail } from "./notifications-email";
import { ordersPoll, ordersSync } from "./orders-sync";
import { productsPoll, productsSync } from "./products-sync";
import { stockPoll, stockSync } from "./stock-sync";
import { tenantPurge } from "./tenant-purge";

/** Every job the app has. The serve route and the inline driver both read this list. */
export const jobDefinitions: AnyJobDefinition[] = [credentialsRotation, logRetentionSweep, logRetention, tenantPurge, ordersPoll, ordersSync, productsPoll, productsSync, stockPoll, stockSync, notificationsEmail, debtorIndexRefresh];
