/**
 * The sandboxes the demo and the e2e suite start, each as its own process on a loopback port. A launcher
 * returns the environment the app needs to talk to it (base URLs, client ids) exactly as it would be
 * configured for the real host. Its own module so the launchers and the list of them (sandboxes.ts) do not
 * import each other.
 */
export interface SandboxHandle {
  name: string;
  url: string;
  /** Variables for the app process, e.g. LS_API_BASE_URL. */
  env: Record<string, string>;
  /** Lines for the demo banner (where to look, demo credentials). */
  info: string[];
  stop(): Promise<void>;
}

export interface SandboxStartOptions {
  /** The app's public URL, for OAuth redirect URIs and launch buttons. */
  appUrl: string;
  /** Deterministic data generation. */
  seed: number;
  /** "demo" seeds a realistic store; "e2e" seeds what the browser tests expect. */
  profile: "demo" | "e2e";
}

export interface SandboxLauncher {
  name: string;
  start(options: SandboxStartOptions): Promise<SandboxHandle>;
}
