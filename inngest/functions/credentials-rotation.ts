import { db } from "@/lib/db";
import { rotateCredentials } from "@/lib/crypto/rotate-credentials";
import { defineCronJob } from "../define";

/** Nightly: re-seal credentials still sealed with an older key, so an old key can be retired. */
export const credentialsRotation = defineCronJob({ id: "credentials-rotation", name: "Re-encrypt stored credentials with the active key", cron: "TZ=Europe/Berlin 45 4 * * *", retries: 3 }, async ({ step }) => {
  return step.run("rotate", () => rotateCredentials(db()));
});
