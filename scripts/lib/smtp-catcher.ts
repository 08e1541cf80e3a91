import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import type { SandboxLauncher } from "./sandbox-launcher";

/**
 * A tiny SMTP catcher for dev and CI: accepts every message on loopback (no auth, no TLS; recipients at
 * @bounce.invalid are refused with 550, as a server refuses an unknown mailbox), keeps it in memory,
 * and serves the messages as JSON over HTTP so the e2e tests (and a developer) can read what the app sent.
 */
export interface CaughtMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  raw: string;
  receivedAt: string;
}

export interface SmtpCatcher {
  smtpPort: number;
  httpUrl: string;
  messages: CaughtMail[];
  close(): Promise<void>;
}

function decodeBody(raw: string): { subject: string; text: string } {
  const [head = "", ...rest] = raw.split(/\r?\n\r?\n/);
  const headers = head.replace(/\r?\n[ \t]+/g, " ");
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, "im").exec(headers)?.[1]?.trim() ?? "";
  const decodeWord = (s: string) =>
    s.replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_m, enc: string, data: string) =>
      enc.toLowerCase() === "b" ? Buffer.from(data, "base64").toString("utf8") : Buffer.from(data.replace(/_/g, " ").replace(/=([0-9a-f]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1").toString("utf8"),
    ).replace(/\?=\s+=\?/g, "");
  let body = rest.join("\n\n");
  const cte = header("Content-Transfer-Encoding").toLowerCase();
  if (cte === "base64") body = Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (cte === "quoted-printable") {
    body = Buffer.from(body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1").toString("utf8");
  }
  return { subject: decodeWord(header("Subject")), text: body };
}

export async function startSmtpCatcher(): Promise<SmtpCatcher> {
  const messages: CaughtMail[] = [];
  const smtp = net.createServer((socket) => {
    let buffer = "";
    let inData = false;
    let from = "";
    let to: string[] = [];
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply("220 localhost butlerbridge-smtp-catcher");
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      for (;;) {
        if (inData) {
          const end = buffer.indexOf("\r\n.\r\n");
          if (end < 0) return;
          const raw = buffer.slice(0, end).replace(/^\.\./gm, ".");
          buffer = buffer.slice(end + 5);
          inData = false;
          messages.push({ from, to, ...decodeBody(raw), raw, receivedAt: new Date().toISOString() });
          reply("250 OK: queued");
          from = "";
          to = [];
          continue;
        }
        const nl = buffer.indexOf("\r\n");
        if (nl < 0) return;
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "EHLO") {
          socket.write("250-localhost\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n");
        } else if (verb === "HELO") reply("250 localhost");
        else if (verb === "MAIL") {
          from = /<([^>]*)>/.exec(line)?.[1] ?? "";
          reply("250 OK");
        } else if (verb === "RCPT") {
          const rcpt = /<([^>]*)>/.exec(line)?.[1] ?? "";
          // A mailbox that does not exist, as a real server answers it: tests use @bounce.invalid for that.
          if (rcpt.endsWith("@bounce.invalid")) reply("550 5.1.1 <" + rcpt + ">: no such user");
          else {
            to.push(rcpt);
            reply("250 OK");
          }
        } else if (verb === "DATA") {
          inData = true;
          reply("354 End data with <CR><LF>.<CR><LF>");
        } else if (verb === "RSET") {
          from = "";
          to = [];
          reply("250 OK");
        } else if (verb === "NOOP") reply("250 OK");
        else if (verb === "QUIT") {
          reply("221 Bye");
          socket.end();
          return;
        } else reply("502 Command not implemented");
      }
    });
    socket.on("error", () => socket.destroy());
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const web = http.createServer((req, res) => {
    if (req.method === "DELETE") messages.length = 0;
    res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(messages.map(({ raw: _raw, ...m }) => m)));
  });
  await new Promise<void>((resolve) => web.listen(0, "127.0.0.1", resolve));
  return {
    smtpPort: (smtp.address() as AddressInfo).port,
    httpUrl: `http://127.0.0.1:${(web.address() as AddressInfo).port}`,
    messages,
    close: async () => {
      await Promise.all([new Promise<void>((r) => smtp.close(() => r())), new Promise<void>((r) => web.close(() => r()))]);
    },
  };
}

/** Started with the sandboxes by `npm run demo` and `npm run test:e2e`: the app's SMTP_URL points here. */
export const smtpCatcherLauncher: SandboxLauncher = {
  name: "mail",
  async start() {
    const catcher = await startSmtpCatcher();
    return {
      name: "mail",
      url: catcher.httpUrl,
      env: { SMTP_URL: `smtp://127.0.0.1:${catcher.smtpPort}`, MAIL_CATCHER_URL: `${catcher.httpUrl}/messages` },
      info: [`e-mails the app sends (JSON): ${catcher.httpUrl}/messages`],
      stop: catcher.close,
    };
  },
};
