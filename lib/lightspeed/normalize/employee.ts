import * as z from "zod";
import type { LsEmployee } from "../domain";
import { bool, fk, id, text } from "./primitives";

const employeeRoleSchema = z.object({ employeeRoleID: id, name: text });

/**
 * An Employee with its EmployeeRole relation loaded. Lightspeed sends an empty string (or nothing) for a relation
 * that is not there, so "no role" is `employeeRoleID` 0 or a missing/empty `EmployeeRole`.
 */
export const employeeSchema = z
  .object({
    employeeID: id,
    firstName: text,
    lastName: text,
    lockOut: bool,
    archived: bool,
    employeeRoleID: fk,
    EmployeeRole: z.preprocess((v) => (v === "" ? undefined : v), employeeRoleSchema.optional()),
  })
  .transform((e): LsEmployee => ({
    employeeId: e.employeeID,
    firstName: e.firstName.trim(),
    lastName: e.lastName.trim(),
    lockOut: e.lockOut,
    archived: e.archived,
    role: e.employeeRoleID && e.EmployeeRole ? { employeeRoleId: e.EmployeeRole.employeeRoleID, name: e.EmployeeRole.name.trim() } : null,
  }));
