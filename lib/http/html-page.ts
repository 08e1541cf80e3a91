export interface HtmlPageForm {
  action: string;
  hidden: Record<string, string>;
  /** Submit buttons, the first one the primary choice. */
  buttons: { name: string; value: string; label: string }[];
}

/** A minimal, accessible HTML page for responses that must carry a status (401 launch errors) or a plain choice. */
export function htmlPage(options: {
  status: number;
  lang: "de" | "en";
  title: string;
  body: string;
  action?: { href: string; label: string };
  form?: HtmlPageForm;
  headers?: Record<string, string>;
}): Response {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
  const html = `<!doctype html>
<html lang="${options.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(options.title)} · Butlerbridge</title>
<style>body{font-family:system-ui,sans-serif;background:#f6f7fb;color:#1f2233;margin:0;display:grid;place-items:center;min-height:100vh}
main{background:#fff;border:1px solid #dfe2ec;border-radius:12px;padding:2rem;max-width:32rem;margin:1rem}
h1{font-size:1.4rem;margin:0 0 1rem}a{color:#3b3fc2;font-weight:600}
form{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:1.5rem}button{font:inherit;font-weight:600;border-radius:8px;padding:.6rem 1rem;border:1px solid #3b3fc2;background:#fff;color:#3b3fc2;cursor:pointer}
button:first-of-type{background:#3b3fc2;color:#fff}</style></head>
<body><main><h1>${esc(options.title)}</h1><p>${esc(options.body)}</p>${options.action ? `<p><a href="${esc(options.action.href)}">${esc(options.action.label)}</a></p>` : ""}${options.form ? formHtml(options.form, esc) : ""}</main></body></html>`;
  const headers = new Headers({ "content-type": "text/html; charset=utf-8", "cache-control": "no-store", ...options.headers });
  return new Response(html, { status: options.status, headers });
}

function formHtml(form: HtmlPageForm, esc: (s: string) => string): string {
  const hidden = Object.entries(form.hidden).map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join("");
  const buttons = form.buttons.map((b) => `<button type="submit" name="${esc(b.name)}" value="${esc(b.value)}">${esc(b.label)}</button>`).join("");
  return `<form method="post" action="${esc(form.action)}">${hidden}${buttons}</form>`;
}
