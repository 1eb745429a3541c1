import type { KoaContextWithOIDC, KoaMiddleware } from 'oidc-provider';
import { escapeHtml, renderMessagePage } from './pages';

const FORM = /<form method="post" action="([^"]*)">/;
const HIDDEN = /<input type="hidden" name="([^"]*)" value="([^"]*)"\/>/g;
const UNESCAPES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

function unescapeHtml(value: string): string {
  return value.replace(/&(amp|lt|gt|quot|#39);/g, (m) => UNESCAPES[m]!);
}

/** The fields of oidc-provider's self-submitting form (form_post response mode, logout, device links). */
export function parseSelfSubmittingForm(html: string): { action: string; fields: [string, string][] } | null {
  const form = FORM.exec(html);
  if (!form) return null;
  const fields = [...html.matchAll(HIDDEN)].map((m): [string, string] => [
    unescapeHtml(m[1]!),
    unescapeHtml(m[2]!),
  ]);
  return { action: unescapeHtml(form[1]!), fields };
}

function renderContinuePage(
  stylesheet: string,
  form: { action: string; fields: [string, string][] },
): string {
  const inputs = form.fields
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Continue · TheStorage development sign-in</title>
<link rel="stylesheet" href="${escapeHtml(stylesheet)}">
</head>
<body>
<div class="warning" role="alert">Development sign-in — not for production</div>
<main><div class="card">
<h1>Continue</h1>
<form method="post" action="${escapeHtml(form.action)}">
${inputs}
<div class="actions"><button class="primary" type="submit" autofocus>Continue</button></div>
</form>
</div></main>
</body>
</html>
`;
}

/**
 * SEC-14: oidc-provider auto-submits some forms with an inline script (and widens the CSP to allow it).
 * This middleware turns each such page into a plain "Continue" button and puts the app's CSP back.
 */
export function scriptFreePages(stylesheetOf: (ctx: KoaContextWithOIDC) => string): KoaMiddleware {
  return async (ctx, next) => {
    const policy = ctx.res.getHeader('content-security-policy');
    await next();
    if (typeof ctx.body !== 'string' || !/<script/i.test(ctx.body)) return;
    if (typeof policy === 'string') ctx.set('content-security-policy', policy);
    else ctx.remove('content-security-policy');
    const form = parseSelfSubmittingForm(ctx.body);
    ctx.type = 'html';
    if (form) {
      ctx.body = renderContinuePage(stylesheetOf(ctx), form);
      return;
    }
    ctx.status = 500;
    ctx.body = renderMessagePage({
      stylesheet: stylesheetOf(ctx),
      title: 'Page refused',
      message: 'The development provider does not serve pages with inline script.',
    });
  };
}
