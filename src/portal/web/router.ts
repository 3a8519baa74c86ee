// The admin web portal's entry page. It names no organisation data until signed in.
import { Router } from 'express';
import type { AdminFaceDeps } from '../deps.js';
import { VERSION } from '../../version.js';
import { portalErrorHandler } from './errors.js';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function portalRouter(deps: Pick<AdminFaceDeps, 'config' | 'logger'>): Router {
  const r = Router();
  r.get('/', (_req, res) => {
    const base = escape(deps.config.baseUrl);
    res.type('html').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Orchard</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem;color:#1d2b1f}code{background:#eef3ee;padding:.1rem .3rem;border-radius:4px}h1{color:#2f7d32}</style>
</head><body>
<h1>Orchard ${escape(VERSION)}</h1>
<p>Apple device deployment: Business Manager, the Device Assignment and Apps and Books APIs, and MDM.</p>
<ul>
<li>Admin API: <code>${base}/api/v1/</code> (send <code>Authorization: Bearer &lt;API token&gt;</code>); reference: <a href="/api/docs/">/api/docs/</a>, contract: <a href="/api/v1/openapi.json">openapi.json</a></li>
<li>Device Assignment API: <code>${base}/dep/</code> and <code>${escape(deps.config.depBaseUrl)}/</code></li>
<li>Apps and Books API: <code>${base}/vpp/mdm/v2/</code></li>
<li>MDM: <code>${base}/mdm/checkin</code>, <code>${base}/mdm/connect</code>; enrolment: <code>${base}/enroll/</code></li>
<li>Health: <a href="/healthz">/healthz</a></li>
</ul>
</body></html>`);
  });
  r.use(portalErrorHandler(deps.logger));
  return r;
}
