// Browser tests of the portal: Debian's Chromium (apt-get install chromium; never a downloaded
// browser) driven by playwright-core, against a real Orchard started in the test. One browser
// per test file (the CI machine has 2 cores). `screenshots()` writes a page at 1280x800 and
// 768x1024 to test-output/screenshots/ (gitignored); a few are copied to docs/screenshots/.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { startOrchard, type RunningOrchard } from '../../src/server.js';
import { tempDir } from './harness.js';
import { makeCa, pkiOf } from './mdm.js';

export const CHROMIUM = process.env.ORCHARD_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.resolve('test-output', 'screenshots');
export const SIZES = [{ width: 1280, height: 800 }, { width: 768, height: 1024 }] as const;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A real Orchard on loopback ports (the demo organisation, its Administrator's printed password);
 * `env` adds settings (ORCHARD_DNS_SERVERS: a DNS stub's address).
 */
export async function startPortalOrchard(env: Record<string, string> = {}): Promise<RunningOrchard & { adminEmail: string; adminPassword: string }> {
  const dataDir = tempDir('orchard-browser-');
  const config = loadConfig({ ORCHARD_DATA_DIR: dataDir, PORT: '0', ORCHARD_DEP_PORT: '0', ORCHARD_LOG_LEVEL: 'silent', ...env });
  const orchard = await startOrchard(config, { logger: silentLogger, pki: pkiOf(await makeCa()) });
  return Object.assign(orchard, { adminEmail: orchard.bootstrap.adminEmail!, adminPassword: orchard.bootstrap.adminPassword! });
}

/**
 * A fresh context (own cookies, own storage) in `locale`, with every page error and console
 * error collected: a Content-Security-Policy violation shows up there.
 */
export async function newPortalPage(browser: Browser, baseURL: string, locale = 'en-GB'): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ baseURL, locale, viewport: SIZES[0] });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  // A failed fetch is the API's answer (a 401 before signing in), shown by the page; any other
  // console error (a CSP violation, an exception) is a fault.
  page.on('console', (m) => { if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) errors.push(`console: ${m.text()}`); });
  return { context, page, errors };
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel(/Managed Apple ID|Identifiant Apple géré/).fill(email);
  await page.getByLabel(/^(Password|Mot de passe)/).fill(password);
  await page.getByRole('button', { name: /^(Sign in|Se connecter)$/ }).click();
  await page.getByRole('navigation', { name: /Menu/ }).waitFor();
}

/**
 * Writes the page at both sizes as `<name>-<w>x<h>.png`, from the top of the page or from
 * `show` (scrolled to the top of the view); the viewport goes back to the first size.
 */
export async function screenshots(page: Page, name: string, show?: Locator): Promise<string[]> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const files: string[] = [];
  for (const size of SIZES) {
    await page.setViewportSize(size);
    if (show) await show.evaluate((el: any) => el.scrollIntoView({ block: 'start' }));
    else await page.evaluate('window.scrollTo(0, 0)');
    const file = path.join(SCREENSHOT_DIR, `${name}-${size.width}x${size.height}.png`);
    await page.screenshot({ path: file, fullPage: false });
    files.push(file);
  }
  await page.setViewportSize(SIZES[0]);
  return files;
}

/**
 * Text whose contrast with its background is below WCAG 2.1 AA (4.5:1; 3:1 for large text:
 * 24 px, or 18.66 px bold), for every visible element holding text of its own. Disabled
 * controls are exempt (WCAG 1.4.3). The background is the first opaque one up the tree.
 */
export async function contrastProblems(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {
    const rgb = (c) => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null; const p = m[1].split(',').map(Number); return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; };
    const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
    const background = (el) => { for (let e = el; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c && c.a >= 0.99) return c; } return { r: 255, g: 255, b: 255, a: 1 }; };
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
      if (el.closest('.visually-hidden, [disabled], canvas, option')) continue;
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own) continue;
      const s = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      if (s.visibility === 'hidden' || s.display === 'none' || box.width === 0 || box.height === 0) continue;
      const fg = rgb(s.color); const bg = background(el);
      const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
      const ratio = (hi + 0.05) / (lo + 0.05);
      const size = parseFloat(s.fontSize); const bold = Number(s.fontWeight) >= 700;
      const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
      if (ratio < need) out.push(el.tagName.toLowerCase() + ' "' + el.textContent.trim().slice(0, 40) + '" ' + ratio.toFixed(2) + ':1');
    }
    return out;
  })()`);
}
