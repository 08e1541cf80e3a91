import type { TestProject } from "vitest/node";
import { createFreshDatabase, migrateUrl } from "../lib/databases";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseMode: "server" | "embedded";
    serverUrl: string | undefined;
  }
}

/**
 * One fresh, migrated database per test run: on the Postgres in DATABASE_URL when set, else on an embedded
 * pglite-server. Dropped after the run, pass or fail.
 */
export default async function setup(project: TestProject) {
  const serverUrl = process.env.DATABASE_URL || undefined;
  const fresh = await createFreshDatabase("bbtest", serverUrl);
  await migrateUrl(fresh.url);
  project.provide("databaseUrl", fresh.url);
  project.provide("databaseMode", fresh.mode);
  project.provide("serverUrl", serverUrl);
  return async () => {
    await fresh.drop();
  };
}
