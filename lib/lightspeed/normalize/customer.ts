import * as z from "zod";
import type { LsContact, LsCustomer } from "../domain";
import { bool, fk, id, instant, instantOpt, text, toMany, toOne } from "./primitives";

/** Customer + Contact. Addresses, phones and e-mails are one-or-many collections or "" when empty. */
const address = z.object({ address1: text, address2: text, city: text, state: text, zip: text, country: text, countryCode: text });
const email = z.object({ address: text, useType: text });
const phone = z.object({ number: text, useType: text });

export const contactSchema = z
  .object({
    noEmail: bool,
    Addresses: toMany("ContactAddress", address),
    Phones: toMany("ContactPhone", phone),
    Emails: toMany("ContactEmail", email),
  })
  .transform((c): LsContact => ({
    emails: c.Emails.filter((e) => e.address.trim() !== "").map((e) => ({ address: e.address.trim(), useType: e.useType })),
    phones: c.Phones.filter((p) => p.number.trim() !== ""),
    addresses: c.Addresses,
    noEmail: c.noEmail,
  }));

export const customerSchema = z
  .object({
    customerID: id,
    firstName: text,
    lastName: text,
    title: text,
    company: text,
    vatNumber: text,
    companyRegistrationNumber: text,
    archived: bool,
    creditAccountID: fk,
    createTime: instantOpt,
    timeStamp: instant,
    Contact: toOne(contactSchema),
  })
  .transform((c): LsCustomer => ({
    customerId: c.customerID,
    firstName: c.firstName,
    lastName: c.lastName,
    title: c.title,
    company: c.company,
    vatNumber: c.vatNumber,
    companyRegistrationNumber: c.companyRegistrationNumber,
    archived: c.archived,
    creditAccountId: c.creditAccountID,
    contact: c.Contact ?? null,
    createTime: c.createTime,
    timeStamp: c.timeStamp,
  }));
