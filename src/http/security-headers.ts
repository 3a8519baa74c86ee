// The headers of every portal page and asset, in one place: a Content-Security-Policy that
// allows only Orchard's own scripts, styles and API (no inline script or style, no framing),
// no MIME sniffing, and no Referer leaving the origin.
import type { RequestHandler } from 'express';

export const PORTAL_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
  "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'",
].join('; ');

export const PORTAL_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': PORTAL_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
};

export const portalSecurityHeaders: RequestHandler = (_req, res, next) => {
  res.set(PORTAL_SECURITY_HEADERS);
  next();
};
