import crypto from "node:crypto";
import { phpUrlEncode } from "./format";
import type { SandboxAccount } from "./model";
import { LAUNCH_KID, signingKeys } from "./oauth";

/**
 * Server-rendered pages: the OAuth consent screen and a minimal back office with the Custom Menu Button.
 * Plain HTML forms with labels, so they work in Playwright and with a screen reader.
 */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1d1d1f; }
  header { border-bottom: 3px solid #e4002b; margin-bottom: 1.5rem; }
  fieldset { border: 1px solid #ccc; padding: 1rem; margin-bottom: 1rem; }
  button, .button { font: inherit; padding: .5rem 1rem; margin-right: .5rem; cursor: pointer; border-radius: 4px; border: 1px solid #333; background: #fff; color: #1d1d1f; text-decoration: none; display: inline-block; }
  button.primary, .button.primary { background: #e4002b; color: #fff; border-color: #e4002b; }
  .error { color: #b00020; }
  table { border-collapse: collapse; width: 100%; } td, th { text-align: left; padding: .4rem; border-bottom: 1px solid #eee; }
</style>
</head>
<body>
<header><p><strong>Lightspeed Retail</strong> (sandbox)</p></header>
<main>
${body}
</main>
</body>
</html>`;
}

export interface ConsentInput {
  clientName: string;
  accounts: SandboxAccount[];
  scopes: string[];
  hidden: Record<string, string>;
}

export function consentPage(input: ConsentInput): string {
  const hidden = Object.entries(input.hidden).map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join("\n");
  const accounts = input.accounts
    .map((a, i) => `<div><input type="radio" id="account-${a.id}" name="account_id" value="${a.id}"${i === 0 ? " checked" : ""}> <label for="account-${a.id}">${esc(a.name)} (Account ${a.id})</label></div>`)
    .join("\n");
  const scopes = input.scopes.map((s) => `<li><code>${esc(s)}</code></li>`).join("");
  return layout(
    "Authorize application",
    `<h1>Authorize ${esc(input.clientName)}</h1>
<p>${esc(input.clientName)} is requesting access to your Lightspeed Retail account.</p>
<form method="post" action="/auth/oauth/authorize">
${hidden}
<fieldset>
<legend>Account</legend>
${accounts}
</fieldset>
<h2>Requested permissions</h2>
<ul>${scopes}</ul>
<button type="submit" name="decision" value="allow" class="primary">Authorize</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>`,
  );
}

export function errorPage(title: string, message: string): string {
  return layout(title, `<h1>${esc(title)}</h1><p class="error" role="alert">${esc(message)}</p>`);
}

export interface LaunchParams {
  accountID: string;
  shopID: string;
  registerID: string;
  employeeID: string;
  systemUserID: string;
  customerID: string;
  saleID: string;
  type: string;
  returnURL: string;
}

/**
 * Builds the URL a Custom Menu Button opens, signed exactly as the reference describes: all query parameters
 * (the button's own included) plus exp/kid/alg sorted by key, re-encoded like PHP's http_build_query, RS256
 * over `scheme://host[:port]/path?query`, signature appended in base64url. The parameters are emitted in a
 * deliberately unsorted order so that a verifier that does not sort fails.
 */
export function signLaunchUrl(target: string, params: LaunchParams, nowMs: number, ttlSeconds: number): string {
  const url = new URL(target);
  const all = new Map<string, string>();
  for (const [k, v] of url.searchParams) all.set(k, v);
  const added: Record<string, string> = { ...params, exp: String(Math.floor(nowMs / 1000) + ttlSeconds), kid: LAUNCH_KID, alg: "RS256" };
  for (const [k, v] of Object.entries(added)) all.set(k, v);
  const sorted = [...all.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = sorted.map(([k, v]) => `${phpUrlEncode(k)}=${phpUrlEncode(v)}`).join("&");
  const base = `${url.protocol}//${url.host}${url.pathname}`;
  const signature = crypto.sign("sha256", Buffer.from(`${base}?${query}`), signingKeys().launch.privateKey).toString("base64url");
  // Emitted order: reversed, with signature last. Values encoded with encodeURIComponent (as a browser would).
  const emitted = [...sorted].reverse().map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  emitted.push(`signature=${signature}`);
  return `${base}?${emitted.join("&")}`;
}

export interface BackofficeInput {
  account: SandboxAccount;
  accounts: SandboxAccount[];
  appUrl: string;
  installed: boolean;
  latestSaleId: number | null;
}

export function backofficePage(input: BackofficeInput): string {
  const { account, appUrl } = input;
  const registers = [...account.store.registers.values()];
  const shops = account.store.shops;
  const accountLinks = input.accounts.length > 1
    ? `<nav aria-label="Accounts"><ul>${input.accounts.map((a) => `<li><a href="/__sandbox/backoffice?account=${a.id}"${a.id === account.id ? ' aria-current="page"' : ""}>${esc(a.name)}</a></li>`).join("")}</ul></nav>`
    : "";
  const buttons = registers
    .map((r) => {
      const shop = shops.get(r.shopId);
      const form = (saleId: string, label: string) => `<form method="get" action="/__sandbox/backoffice/launch" style="display:inline">
<input type="hidden" name="account" value="${account.id}"><input type="hidden" name="register" value="${r.id}"><input type="hidden" name="sale" value="${saleId}">
<button type="submit" class="primary">${esc(label)}</button></form>`;
      return `<tr><td>${esc(shop?.name ?? "")}</td><td>${esc(r.name)}</td><td>${form("0", `Butlerbridge öffnen (${r.name})`)}${input.latestSaleId ? form(String(input.latestSaleId), `Butlerbridge: Verkauf ${input.latestSaleId}`) : ""}</td></tr>`;
    })
    .join("\n");
  // Who presses the button matters to the app (roles): launch register 1 as each employee. The buttons above
  // launch as employee 1, the account's admin.
  const first = registers[0];
  const asEmployee = first
    ? [...account.store.employees.values()]
        .filter((e) => !e.archived)
        .map((e) => {
          const role = e.employeeRoleId ? account.store.employeeRoles.get(e.employeeRoleId)?.name : undefined;
          return `<li><form method="get" action="/__sandbox/backoffice/launch" style="display:inline">
<input type="hidden" name="account" value="${account.id}"><input type="hidden" name="register" value="${first.id}"><input type="hidden" name="sale" value="0"><input type="hidden" name="employee" value="${e.id}">
<button type="submit">${esc(`Butlerbridge öffnen als ${e.firstName} ${e.lastName} – ${role ?? "ohne Rolle"} (${first.name})`)}</button></form></li>`;
        })
        .join("\n")
    : "";
  return layout(
    `Back office – ${account.name}`,
    `<h1>Back office: ${esc(account.name)}</h1>
${accountLinks}
<section aria-labelledby="apps">
<h2 id="apps">Installed apps</h2>
<table><thead><tr><th scope="col">App</th><th scope="col">Status</th><th scope="col">Action</th></tr></thead>
<tbody><tr><td>Butlerbridge</td><td>${input.installed ? "Connected" : "Not installed"}</td><td><a class="button" href="${esc(appUrl.replace(/\/$/, ""))}/install">Install Butlerbridge</a></td></tr></tbody></table>
</section>
<section aria-labelledby="menu">
<h2 id="menu">Custom Menu Buttons (register screen)</h2>
<table><thead><tr><th scope="col">Shop</th><th scope="col">Register</th><th scope="col">Button</th></tr></thead><tbody>
${buttons}
</tbody></table>
</section>
<section aria-labelledby="employees">
<h2 id="employees">Launch as employee</h2>
<ul>
${asEmployee}
</ul>
</section>`,
  );
}
