import { describe, expect, it } from 'vitest';
import type { DemoPerson } from '../../../demo-people';
import {
  DEV_IDP_WARNING,
  escapeHtml,
  renderDeviceSuccessPage,
  renderLoginPage,
  renderLogoutPage,
  renderMessagePage,
  renderUserCodeConfirmPage,
  renderUserCodeInputPage,
} from './pages';
import { parseSelfSubmittingForm } from './script-free';
import { scriptIn } from './testing';

const HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>';
const mallory: DemoPerson = {
  sub: 'demo-"mallory"',
  email: `mallory+${HOSTILE}@demo.thestorage.dev`,
  givenName: HOSTILE,
  familyName: "O'Hostile",
  displayName: `${HOSTILE} O'Hostile`,
  jobTitle: HOSTILE,
  demoRole: 'operator',
  amr: ['pwd', 'mfa'],
};

describe('development provider pages (SEC-14)', () => {
  it('SEC-14: escapes every name and attribute on the sign-in page and carries no script', () => {
    const html = renderLoginPage({
      stylesheet: '/dev-idp/assets/dev-idp.css',
      clientName: HOSTILE,
      people: [mallory],
      loginAction: '/dev-idp/interaction/a"b/login',
      abortAction: '/dev-idp/interaction/a"b/abort',
    });
    expect(scriptIn(html)).toEqual([]);
    expect(html).not.toContain('<img');
    expect(html).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; O&#39;Hostile',
    );
    expect(html).toContain('value="demo-&quot;mallory&quot;"');
    expect(html).toContain('action="/dev-idp/interaction/a&quot;b/login"');
    expect(html).toContain('Operator');
    expect(html).toContain(DEV_IDP_WARNING);
  });

  it('SEC-14: no page of the development provider carries script, and each says it is not for production', () => {
    const stylesheet = '/dev-idp/assets/dev-idp.css';
    const pages = [
      renderUserCodeInputPage({
        stylesheet,
        action: '/dev-idp/device',
        xsrf: HOSTILE,
        userCode: HOSTILE,
        error: HOSTILE,
      }),
      renderUserCodeConfirmPage({
        stylesheet,
        action: '/dev-idp/device',
        xsrf: HOSTILE,
        userCode: HOSTILE,
        clientName: HOSTILE,
      }),
      renderDeviceSuccessPage({ stylesheet, clientName: HOSTILE }),
      renderLogoutPage({ stylesheet, action: '/dev-idp/session/end/confirm', xsrf: HOSTILE }),
      renderMessagePage({ stylesheet, title: HOSTILE, message: HOSTILE }),
    ];
    for (const html of pages) {
      expect(scriptIn(html)).toEqual([]);
      expect(html).not.toContain('<img');
      expect(html).toContain(DEV_IDP_WARNING);
      expect(html).toContain('<link rel="stylesheet" href="/dev-idp/assets/dev-idp.css">');
    }
  });

  it('the script finder used above does find script', () => {
    expect(scriptIn('<p>x</p><script src="/a.js"></script>')).toHaveLength(1);
    expect(scriptIn('<img src=x onerror=alert(1)>')).toHaveLength(1);
    expect(scriptIn('<a href="javascript:alert(1)">x</a>')).toHaveLength(1);
    expect(scriptIn('<p title="onerror=1">&lt;script&gt;</p>')).toEqual([]);
  });

  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });

  it('SEC-14: reads the fields of an oidc-provider self-submitting form so they can be re-served without script', () => {
    const html = `<form method="post" action="https://a.example/cb?x=1&amp;y=2">
<input type="hidden" name="code" value="abc"/>
<input type="hidden" name="state" value="&lt;s&gt;&#39;"/>
<noscript><button autofocus type="submit">Continue</button></noscript></form>`;
    expect(parseSelfSubmittingForm(html)).toEqual({
      action: 'https://a.example/cb?x=1&y=2',
      fields: [
        ['code', 'abc'],
        ['state', "<s>'"],
      ],
    });
    expect(parseSelfSubmittingForm('<p>nothing</p>')).toBeNull();
  });
});
