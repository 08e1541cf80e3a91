import { describe, expect, it } from "vitest";
import { employeeSchema } from "./employee";

/** Employee as documented (developers.lightspeedhq.com/retail/endpoints/Employee): strings, "0" for no role. */
describe("employeeSchema", () => {
  const raw = { employeeID: "4", firstName: "John ", lastName: "Doe", lockOut: "false", archived: "false", employeeRoleID: "1", limitToShopID: "0", timeStamp: "2021-03-23T15:45:03+00:00" };

  it("reads the role from the EmployeeRole relation", () => {
    expect(employeeSchema.parse({ ...raw, EmployeeRole: { employeeRoleID: "1", name: "Admin" } })).toEqual({
      employeeId: "4", firstName: "John", lastName: "Doe", lockOut: false, archived: false, role: { employeeRoleId: "1", name: "Admin" },
    });
  });

  it("has no role when employeeRoleID is 0 or the relation is missing or empty", () => {
    expect(employeeSchema.parse({ ...raw, employeeRoleID: "0" }).role).toBeNull();
    expect(employeeSchema.parse(raw).role).toBeNull();
    expect(employeeSchema.parse({ ...raw, EmployeeRole: "" }).role).toBeNull();
  });

  it("reads lockOut and archived", () => {
    expect(employeeSchema.parse({ ...raw, lockOut: "true", archived: "true" })).toMatchObject({ lockOut: true, archived: true });
  });

  it("rejects a record without a valid id", () => {
    expect(employeeSchema.safeParse({ ...raw, employeeID: "0" }).success).toBe(false);
  });
});
