import nodemailer from "nodemailer";
import { env } from "../env";
import { AppError } from "../errors/app-error";

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export function mailConfigured(): boolean {
  return Boolean(env().SMTP_URL);
}

/**
 * Sends one plain-text e-mail through SMTP_URL (in dev and CI: the local catcher the runner starts). Plain text
 * only: notification mails carry no links with tokens and render the same in every client.
 */
export async function sendMail(message: MailMessage): Promise<{ messageId: string }> {
  const url = env().SMTP_URL;
  if (!url) throw new AppError("INVALID_INPUT", { detail: "e-mail is not set up on this installation (SMTP_URL is empty)" });
  const transport = nodemailer.createTransport(url);
  try {
    const info = await transport.sendMail({ from: env().MAIL_FROM, to: message.to, subject: message.subject, text: message.text });
    return { messageId: String(info.messageId ?? "") };
  } catch (e) {
    throw new AppError("UPSTREAM_UNAVAILABLE", { detail: `the mail server did not accept the message: ${e instanceof Error ? e.message : String(e)}`, cause: e });
  } finally {
    transport.close();
  }
}
