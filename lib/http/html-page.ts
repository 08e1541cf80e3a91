/** A minimal, accessible HTML page for responses that must carry a status (401 launch errors). */
export function htmlPage(options: { status: number; lang: "de" | "en"; title: string; body: string; action?: { href: string; label: string } }): Response {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
  const html = `<!doctype html>
<html lang="${options.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(options.title)} · Butlerbridge</title>
<style>body{font-family:system-ui,sans-serif;background:#f6f7fb;color:#1f2233;margin:0;display:grid;place-items:center;min-height:100vh}
main{background:#fff;border:1px solid #dfe2ec;border-radius:12px;padding:2rem;max-width:32rem;margin:1rem}
h1{font-size:1.4rem;margin:0 0 1rem}a{color:#3b3fc2;font-weight:600}</style></head>
<body><main><h1>${esc(options.title)}</h1><p>${esc(options.body)}</p>${options.action ? `<p><a href="${esc(options.action.href)}">${esc(options.action.label)}</a></p>` : ""}</main></body></html>`;
  return new Response(html, { status: options.status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
}
