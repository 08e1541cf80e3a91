import { describe, expect, it } from "vitest";
import type { LsEmployee } from "../lightspeed/domain";
import { roleForEmployee } from "./roles";

const employee = (role: string | null, extra: Partial<LsEmployee> = {}): LsEmployee => ({
  employeeId: "7",
  firstName: "Kim",
  lastName: "Kasse",
  lockOut: false,
  archived: false,
  role: role === null ? null : { employeeRoleId: "3", name: role },
  ...extra,
});

describe("roleForEmployee", () => {
  it("makes Lightspeed admins and managers admins, whatever the staff setting", () => {
    for (const name of ["Admin", "admin", " Manager ", "Administrator"]) {
      expect(roleForEmployee(employee(name), "read_only"), name).toBe("admin");
      expect(roleForEmployee(employee(name), "none"), name).toBe("admin");
    }
  });

  it("gives everyone else what the merchant chose for staff", () => {
    for (const e of [employee("Employee"), employee("Cashier"), employee("Sales"), employee(null), null]) {
      expect(roleForEmployee(e, "read_only")).toBe("viewer");
      expect(roleForEmployee(e, "none")).toBeNull();
    }
  });

  it("lets no locked-out or archived employee in, not even an admin", () => {
    expect(roleForEmployee(employee("Admin", { lockOut: true }), "read_only")).toBeNull();
    expect(roleForEmployee(employee("Manager", { archived: true }), "read_only")).toBeNull();
  });

  it("does not take a role that merely contains an admin word", () => {
    expect(roleForEmployee(employee("Not an admin"), "none")).toBeNull();
    expect(roleForEmployee(employee("Assistant Manager"), "none")).toBeNull();
  });
});
