import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { testDb } from "@/scripts/test/db";
import type { LsEmployee } from "../lightspeed/domain";
import { installTenant } from "../tenants/install-tenant";
import { updateTenantSettings } from "../tenants/tenant-settings";
import { openLaunchSession, type EmployeeLookup } from "./open-launch-session";

/** A launch is worth what the employee's Lightspeed role says; every employee is their own user. */

const database = testDb();

const STAFF: Record<string, LsEmployee> = {
  "1": { employeeId: "1", firstName: "Ada", lastName: "Admin", lockOut: false, archived: false, role: { employeeRoleId: "1", name: "Admin" } },
  "2": { employeeId: "2", firstName: "Max", lastName: "Manager", lockOut: false, archived: false, role: { employeeRoleId: "2", name: "Manager" } },
  "3": { employeeId: "3", firstName: "Kim", lastName: "Kasse", lockOut: false, archived: false, role: { employeeRoleId: "3", name: "Employee" } },
  "4": { employeeId: "4", firstName: "Lou", lastName: "Locked", lockOut: true, archived: false, role: { employeeRoleId: "1", name: "Admin" } },
};
const lookup: EmployeeLookup = async (_db, _tenant, employeeId) => STAFF[employeeId] ?? null;

async function tenant() {
  const acct = `acct-${randomUUID()}`;
  const { tenantId } = await installTenant(database, { lsAccountId: acct, actor: "test" });
  return { acct, tenantId };
}

const userOf = (sessionToken: string) =>
  database.selectFrom("Session").innerJoin("User", "User.id", "Session.userId").select(["User.id", "User.role", "User.name", "User.tenant_id"]).where("sessionToken", "=", sessionToken).executeTakeFirstOrThrow();

describe("openLaunchSession roles", () => {
  it("makes admins and managers admins and cashiers viewers, one user per employee", async () => {
    const { acct, tenantId } = await tenant();
    const admin = await openLaunchSession(database, { accountId: acct, employeeId: "1" }, new Date(), lookup);
    const manager = await openLaunchSession(database, { accountId: acct, employeeId: "2" }, new Date(), lookup);
    const cashier = await openLaunchSession(database, { accountId: acct, employeeId: "3" }, new Date(), lookup);
    expect([admin.role, manager.role, cashier.role]).toEqual(["admin", "admin", "viewer"]);
    const users = await Promise.all([admin, manager, cashier].map((s) => userOf(s.sessionToken)));
    expect(users.map((u) => u.id)).toEqual([`lightspeed-launch:${acct}:1`, `lightspeed-launch:${acct}:2`, `lightspeed-launch:${acct}:3`]);
    expect(users.map((u) => u.role)).toEqual(["admin", "admin", "viewer"]);
    expect(users[2]!.name).toBe("Kim Kasse");
    expect(users.every((u) => u.tenant_id === tenantId)).toBe(true);
  });

  it("reads the role afresh at each launch: a demoted admin is a viewer next time", async () => {
    const { acct } = await tenant();
    const demotable = vi.fn<EmployeeLookup>(async () => STAFF["1"]!);
    const first = await openLaunchSession(database, { accountId: acct, employeeId: "1" }, new Date(), demotable);
    expect((await userOf(first.sessionToken)).role).toBe("admin");
    demotable.mockResolvedValue({ ...STAFF["1"]!, role: { employeeRoleId: "3", name: "Employee" } });
    const second = await openLaunchSession(database, { accountId: acct, employeeId: "1" }, new Date(), demotable);
    expect((await userOf(second.sessionToken)).role).toBe("viewer");
    // The role lives on the user, so the session opened earlier is demoted as well.
    expect((await userOf(first.sessionToken)).role).toBe("viewer");
  });

  it("gives a launch without an employee, or one Lightspeed cannot resolve, staff access at most", async () => {
    const { acct, tenantId } = await tenant();
    const failing: EmployeeLookup = async () => {
      throw new Error("Lightspeed is down");
    };
    const noEmployee = await openLaunchSession(database, { accountId: acct, employeeId: "0" }, new Date(), lookup);
    const unresolved = await openLaunchSession(database, { accountId: acct, employeeId: "1" }, new Date(), failing);
    expect([noEmployee.role, unresolved.role]).toEqual(["viewer", "viewer"]);
    expect((await userOf(noEmployee.sessionToken)).id).toBe(`lightspeed-launch:${acct}:unknown`);

    await updateTenantSettings(database, tenantId, { staffAccess: "none" });
    await expect(openLaunchSession(database, { accountId: acct, employeeId: "3" }, new Date(), lookup)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(openLaunchSession(database, { accountId: acct, employeeId: null }, new Date(), lookup)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(openLaunchSession(database, { accountId: acct, employeeId: "1" }, new Date(), failing)).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await openLaunchSession(database, { accountId: acct, employeeId: "2" }, new Date(), lookup)).role).toBe("admin");
  });

  it("refuses a locked-out employee even with an admin role", async () => {
    const { acct } = await tenant();
    await expect(openLaunchSession(database, { accountId: acct, employeeId: "4" }, new Date(), lookup)).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
