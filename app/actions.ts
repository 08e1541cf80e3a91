"use server";

import { signOut } from "@/lib/auth";

/** Ends the database session (server-side) and clears the cookie. */
export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/" });
}
