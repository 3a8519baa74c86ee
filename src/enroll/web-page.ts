// The sign-in page shown in Setup Assistant's web view (configuration_web_url): the
// organisation's name, colour and consent text, and a Managed Apple ID form. The device's
// signed x-apple-aspen-deviceinfo travels in a hidden field, so the POST is checked again.
import type { Organisation } from '../store/organisations.js';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const COLOUR = /^#[0-9a-fA-F]{3,8}$/;

export function signInPage(opts: { org: Organisation; action: string; deviceInfo: string; serial: string; error?: string; email?: string }): string {
  const { org } = opts;
  const colour = COLOUR.test(org.brandColor) ? org.brandColor : '#2f7d32';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escape(org.name)} — device enrolment</title>
<style>body{font:16px/1.5 -apple-system,system-ui,sans-serif;max-width:30rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f}
h1{color:${colour};font-size:1.4rem}.consent{background:#f5f5f7;border-left:4px solid ${colour};padding:.75rem 1rem}
label{display:block;margin-top:1rem}input[type=email],input[type=password]{width:100%;padding:.5rem;font-size:1rem}
button{margin-top:1.25rem;background:${colour};color:#fff;border:0;border-radius:8px;padding:.6rem 1.4rem;font-size:1rem}
.error{color:#b00020}</style></head>
<body>
<h1>${escape(org.name)}</h1>
<p>This device (serial number ${escape(opts.serial)}) will be managed by ${escape(org.name)}. Sign in with your Managed Apple ID to continue.</p>
${org.consentText ? `<div class="consent" id="consent">${escape(org.consentText)}</div>` : ''}
${opts.error ? `<p class="error" role="alert">${escape(opts.error)}</p>` : ''}
<form method="post" action="${escape(opts.action)}">
<input type="hidden" name="deviceinfo" value="${escape(opts.deviceInfo)}">
<label>Managed Apple ID <input type="email" name="email" autocomplete="username" required value="${escape(opts.email ?? '')}"></label>
<label>Password <input type="password" name="password" autocomplete="current-password" required></label>
<button type="submit">Sign in and enrol</button>
</form>
</body></html>`;
}
