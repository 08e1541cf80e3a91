import { buchhaltungsbutlerSandboxLauncher } from "./sandbox-buchhaltungsbutler";
import { lightspeedSandboxLauncher } from "./sandbox-lightspeed";
import { smtpCatcherLauncher } from "./smtp-catcher";
import type { SandboxHandle, SandboxLauncher, SandboxStartOptions } from "./sandbox-launcher";

/** Started in this order, stopped together if one fails. */
export const sandboxLaunchers: SandboxLauncher[] = [];
sandboxLaunchers.push(lightspeedSandboxLauncher);
sandboxLaunchers.push(smtpCatcherLauncher);
sandboxLaunchers.push(buchhaltungsbutlerSandboxLauncher);

export async function startSandboxes(options: SandboxStartOptions): Promise<SandboxHandle[]> {
  const started: SandboxHandle[] = [];
  try {
    for (const launcher of sandboxLaunchers) started.push(await launcher.start(options));
  } catch (e) {
    await Promise.all(started.map((s) => s.stop()));
    throw e;
  }
  return started;
}
