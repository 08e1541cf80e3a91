import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";

/**
 * Child processes the scripts start (database, sandboxes, the app). Every one is registered so that an exit,
 * Ctrl-C or a crash of the script stops all of them: nothing is left holding a port or a data folder.
 */
const children = new Set<ChildProcess>();
const cleanups: (() => Promise<void>)[] = [];
let shuttingDown: Promise<never> | undefined;

export function onShutdown(fn: () => Promise<void>): void {
  cleanups.unshift(fn);
}

// A second signal (tsx relays Ctrl-C to us as well, and the terminal sends it to the whole group) must wait for
// the first shutdown instead of exiting halfway, or the database server is left behind holding its folder.
export function shutdown(code = 0): Promise<never> {
  shuttingDown ??= (async () => {
    for (const fn of cleanups) await fn().catch((e) => console.error("cleanup failed:", e));
    for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
    process.exit(code);
  })();
  return shuttingDown;
}

for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(sig, () => void shutdown(sig === "SIGINT" ? 130 : 143));
process.on("uncaughtException", (e) => {
  console.error(e);
  void shutdown(1);
});

export interface Started {
  child: ChildProcess;
  stop(): Promise<void>;
  exited: Promise<number | null>;
}

export function startProcess(command: string, args: string[], options: SpawnOptions & { name: string; prefixOutput?: boolean }): Started {
  const child = spawn(command, args, { stdio: options.prefixOutput === false ? "inherit" : ["ignore", "pipe", "pipe"], ...options });
  children.add(child);
  const tag = `[${options.name}]`;
  if (options.prefixOutput !== false) {
    const forward = (stream: NodeJS.WritableStream) => (data: Buffer) => {
      for (const line of data.toString().split("\n")) if (line.trim()) stream.write(`${tag} ${line}\n`);
    };
    child.stdout?.on("data", forward(process.stdout));
    child.stderr?.on("data", forward(process.stderr));
  }
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  return {
    child,
    exited,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
}

export async function run(command: string, args: string[], options: SpawnOptions = {}): Promise<number> {
  const p = startProcess(command, args, { ...options, name: command, prefixOutput: false });
  return (await p.exited) ?? 1;
}

export async function waitForUrl(url: string, timeoutMs: number, exited?: Promise<number | null>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let done = false;
  let exitCode: number | null | undefined;
  exited?.then((c) => {
    done = true;
    exitCode = c;
  });
  while (Date.now() < deadline) {
    if (done) throw new Error(`process exited (code ${exitCode}) before ${url} answered`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}
