import type { LsEmployee } from "../lightspeed/domain";
import type { TenantSettings } from "../tenants/tenant-settings";

/**
 * What a signed-in user may do in Butlerbridge:
 *  - `admin`: everything (settings, credentials, uninstall, log export);
 *  - `viewer`: look at every page, change nothing. The log export is refused too: it carries customer data.
 * "No access" is not a role: such a launch opens no session at all.
 */
export type AppRole = "admin" | "viewer";

/**
 * Lightspeed roles whose holders configure Butlerbridge, matched by name (the API gives a role a name and rights,
 * and merchants name roles freely). "Admin" and "Manager" are what we take the default roles to be called (not
 * verified against a live account); the others are common spellings in German-speaking shops. Anything else is
 * staff: an unknown name grants less, never more.
 */
const CONFIGURING_ROLES = new Set(["admin", "administrator", "administrateur", "manager", "store manager", "geschäftsführer", "filialleiter"]);

export function isConfiguringRole(name: string): boolean {
  return CONFIGURING_ROLES.has(name.trim().toLowerCase());
}

/**
 * The role for a launch by this employee, or null for no access. `employee` is null when the launch carried no
 * employee or Lightspeed could not tell us who it is: then nobody can vouch for more than staff access.
 */
export function roleForEmployee(employee: LsEmployee | null, staffAccess: TenantSettings["staffAccess"]): AppRole | null {
  if (employee && (employee.lockOut || employee.archived)) return null;
  if (employee?.role && isConfiguringRole(employee.role.name)) return "admin";
  return staffAccess === "read_only" ? "viewer" : null;
}
