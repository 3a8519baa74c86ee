// The admin web portal: one HTML page at `/` that loads the browser app (src/portal/web/app/)
// from /portal/app.js and /portal/app.css. No inline script or style (see the CSP in
// src/http/security-headers.ts); the app does everything through the documented admin API.
import { Router, type RequestHandler } from 'express';
import type { AdminFaceDeps } from '../deps.js';
import { VERSION } from '../../version.js';
import { portalSecurityHeaders } from '../../http/security-headers.js';
import { portalBundleSource, type ServedBundle, type ServedFile } from './bundle.js';
import { portalErrorHandler } from './errors.js';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The pages a mail or a provider links to (src/business/signup.ts, invitations.ts, the federation
 * redirect URI) and the public sign-up form: the same HTML page, whose app shows the page of the
 * path before any session (src/portal/web/app/public-pages.ts holds the same list).
 */
export const PUBLIC_PAGE_PATHS = ['/signup', '/signup/status', '/signup/validate', '/signup/activate', '/portal/invitation', '/portal/federation/callback',
  // The server operator's review of applications (their token, kept in the tab's sessionStorage).
  '/operator'];

export function portalRouter(deps: Pick<AdminFaceDeps, 'config' | 'logger'>): Router {
  const r = Router();
  const bundle = portalBundleSource();
  // Built per request (a few hundred bytes): the base URL is read when the page is served.
  const page = () => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Orchard</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/portal/app.css"><script defer src="/portal/app.js"></script>
</head><body><div id="app" data-version="${escape(VERSION)}"><noscript>
<h1>Orchard ${escape(VERSION)}</h1>
<p>The portal needs JavaScript. The admin API is at <code>${escape(deps.config.baseUrl)}/api/v1/</code>; its reference is at <a href="/api/docs/">/api/docs/</a>.</p>
</noscript></div></body></html>`;
  r.use(['/', '/portal'], portalSecurityHeaders);
  // The page's own route carries the headers as well: `use` with the path list above matches `/`
  // alone, not the public pages' paths (/signup, /operator...), which were served without them.
  r.get(['/', ...PUBLIC_PAGE_PATHS], portalSecurityHeaders, (_req, res) => {
    res.set('Cache-Control', 'no-cache').type('html').send(page());
  });
  // Revalidated on every load (no-cache) and answered 304 while the bundle is unchanged.
  const asset = (pick: (b: ServedBundle) => ServedFile, type: string): RequestHandler => async (req, res) => {
    const file = pick(await bundle());
    res.set({ 'Cache-Control': 'no-cache', ETag: file.etag });
    if (req.headers['if-none-match'] === file.etag) { res.status(304).end(); return; }
    res.type(type).send(file.body);
  };
  r.get('/portal/app.js', asset((b) => b.js, 'text/javascript'));
  r.get('/portal/app.css', asset((b) => b.css, 'text/css'));
  r.use(portalErrorHandler(deps.logger));
  return r;
}
