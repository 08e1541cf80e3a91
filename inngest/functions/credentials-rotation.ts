import { db } from "@/lib/db";
import { rotateCredentials } from "@/lib/crypto/rotate-credentials";
import { defineJob } from "../define";

/** Nightly: re-seal credentials still sealed with an older key, so an old key can be retired. */
export const credentialsRotation = defineJob({
  id: "credentials-rotation",
  name: "Re-encrypt stored credentials with the active key",
  triggers: [{ cron: "TZ=Europe/Berlin 45 4 * * *" }],
  retries: 3,
  concurrency: [{ limit: 1 }],
  async handler({ step }) {
    return step.run("rotate", () => rotateCredentials(db()));
  },
});
