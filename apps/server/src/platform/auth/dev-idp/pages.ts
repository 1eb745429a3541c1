import { type DemoPerson, demoRoleLabel } from '../../../demo-people';

/** Server-rendered pages of the development provider: no script at all (CSP script-src 'self'), all text escaped. */

export const DEV_IDP_WARNING = 'Development sign-in — not for production';
export const STYLESHEET_PATH = '/assets/dev-idp.css';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

export const STYLESHEET = `
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f5f7;color:#1f2328}
.warning{background:#b3261e;color:#fff;font-weight:700;text-align:center;padding:.75rem 1rem;letter-spacing:.02em}
main{max-width:40rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.5rem;margin:0 0 .5rem}
p{line-height:1.5}
.card{background:#fff;border:1px solid #d0d7de;border-radius:.5rem;padding:1.5rem}
.people{list-style:none;margin:1rem 0 0;padding:0;display:grid;gap:.5rem}
.person{width:100%;display:grid;grid-template-columns:1fr auto;gap:.125rem 1rem;text-align:left;font:inherit;
  background:#fff;border:1px solid #d0d7de;border-radius:.5rem;padding:.75rem 1rem;cursor:pointer}
.person:hover,.person:focus{border-color:#0969da;outline:2px solid #0969da33}
.person .name{font-weight:600}
.person .role{grid-row:span 2;align-self:center;font-size:.875rem;background:#ddf4ff;color:#0550ae;border-radius:1rem;
  padding:.125rem .625rem}
.person .detail{color:#59636e;font-size:.875rem}
.primary,.secondary{font:inherit;border-radius:.375rem;padding:.5rem 1rem;cursor:pointer;border:1px solid #0969da}
.primary{background:#0969da;color:#fff}
.secondary{background:#fff;color:#0969da}
.actions{display:flex;gap:.5rem;margin-top:1rem}
.code{font-family:ui-monospace,monospace;font-size:1.75rem;letter-spacing:.15em}
label{display:block;font-weight:600;margin-bottom:.25rem}
input[type=text]{font:inherit;font-size:1.25rem;padding:.5rem;width:100%;text-transform:uppercase;border:1px solid #d0d7de;
  border-radius:.375rem}
.error{color:#b3261e;font-weight:600}
`;

interface PageOptions {
  title: string;
  /** Where the stylesheet is served: `${mountPath}${STYLESHEET_PATH}`. */
  stylesheet: string;
  /** Already-escaped HTML. */
  body: string;
}

function page({ title, stylesheet, body }: PageOptions): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · TheStorage development sign-in</title>
<link rel="stylesheet" href="${escapeHtml(stylesheet)}">
</head>
<body>
<div class="warning" role="alert">${escapeHtml(DEV_IDP_WARNING)}</div>
<main>
${body}
</main>
</body>
</html>
`;
}

function hidden(name: string, value: string): string {
  return `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;
}

export interface LoginPageInput {
  stylesheet: string;
  clientName: string;
  people: readonly DemoPerson[];
  /** The form target; each person's button posts `sub`. */
  loginAction: string;
  abortAction: string;
}

/** "Pick a demo person": one POST button per person showing name, role and e-mail. */
export function renderLoginPage(input: LoginPageInput): string {
  const people = input.people
    .map(
      (p) => `<li><button class="person" type="submit" name="sub" value="${escapeHtml(p.sub)}">
<span class="name">${escapeHtml(p.displayName)}</span>
<span class="role">${escapeHtml(demoRoleLabel(p.demoRole))}</span>
<span class="detail">${escapeHtml(p.email)} · ${escapeHtml(p.jobTitle)}</span>
</button></li>`,
    )
    .join('\n');
  return page({
    title: 'Pick a demo person',
    stylesheet: input.stylesheet,
    body: `<div class="card">
<h1>Pick a demo person</h1>
<p>Sign in to <strong>${escapeHtml(input.clientName)}</strong> as one of the demo people. No password is asked:
this provider exists only for trying TheStorage out and for tests.</p>
<form method="post" action="${escapeHtml(input.loginAction)}">
<ul class="people">
${people}
</ul>
</form>
<form method="post" action="${escapeHtml(input.abortAction)}" class="actions">
<button class="secondary" type="submit">Cancel</button>
</form>
</div>`,
  });
}

export interface UserCodeInputPageInput {
  stylesheet: string;
  action: string;
  xsrf: string;
  userCode?: string;
  error?: string;
}

/** Device flow, step 1: type (or confirm the pre-filled) code shown by the command-line client. */
export function renderUserCodeInputPage(input: UserCodeInputPageInput): string {
  return page({
    title: 'Connect a device',
    stylesheet: input.stylesheet,
    body: `<div class="card">
<h1>Connect a device</h1>
${input.error ? `<p class="error">${escapeHtml(input.error)}</p>` : '<p>Enter the code your command-line client shows.</p>'}
<form method="post" action="${escapeHtml(input.action)}">
${hidden('xsrf', input.xsrf)}
<label for="user_code">Code</label>
<input id="user_code" type="text" name="user_code" autocomplete="off" autofocus${
      input.userCode ? ` value="${escapeHtml(input.userCode)}"` : ''
    }>
<div class="actions"><button class="primary" type="submit">Continue</button></div>
</form>
</div>`,
  });
}

export interface UserCodeConfirmPageInput {
  stylesheet: string;
  action: string;
  xsrf: string;
  userCode: string;
  clientName: string;
}

/** Device flow, step 2: the code must match what the device shows before anyone is signed in. */
export function renderUserCodeConfirmPage(input: UserCodeConfirmPageInput): string {
  return page({
    title: 'Confirm the device',
    stylesheet: input.stylesheet,
    body: `<div class="card">
<h1>Confirm the device</h1>
<p><strong>${escapeHtml(input.clientName)}</strong> asks to sign in. Continue only if your device shows this code:</p>
<p class="code">${escapeHtml(input.userCode)}</p>
<form method="post" action="${escapeHtml(input.action)}" class="actions">
${hidden('xsrf', input.xsrf)}
${hidden('user_code', input.userCode)}
<button class="primary" type="submit" name="confirm" value="yes">Continue</button>
<button class="secondary" type="submit" name="abort" value="yes">Abort</button>
</form>
</div>`,
  });
}

export function renderDeviceSuccessPage(input: { stylesheet: string; clientName: string }): string {
  return page({
    title: 'Device connected',
    stylesheet: input.stylesheet,
    body: `<div class="card">
<h1>Device connected</h1>
<p><strong>${escapeHtml(input.clientName)}</strong> is now signed in. You can close this window and return to your device.</p>
</div>`,
  });
}

export function renderLogoutPage(input: { stylesheet: string; action: string; xsrf: string }): string {
  return page({
    title: 'Sign out',
    stylesheet: input.stylesheet,
    body: `<div class="card">
<h1>Sign out of the development provider?</h1>
<form method="post" action="${escapeHtml(input.action)}" class="actions">
${hidden('xsrf', input.xsrf)}
<button class="primary" type="submit" name="logout" value="yes">Yes, sign me out</button>
<button class="secondary" type="submit">No, stay signed in</button>
</form>
</div>`,
  });
}

export function renderMessagePage(input: { stylesheet: string; title: string; message: string }): string {
  return page({
    title: input.title,
    stylesheet: input.stylesheet,
    body: `<div class="card">
<h1>${escapeHtml(input.title)}</h1>
<p>${escapeHtml(input.message)}</p>
</div>`,
  });
}
