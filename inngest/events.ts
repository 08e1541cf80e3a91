/** Event names shared by app code (jobs.send) and job definitions. */
export const TENANT_UNINSTALLED_EVENT = "app/tenant.uninstalled";
