// The portal's browser bundle (src/portal/web/app/, Preact + TSX): built by esbuild into
// dist/portal/app.js and app.css by `npm run build`, or, when Orchard runs from its sources
// (tests, `tsx`), built in memory on the first request. Running from sources always builds
// from sources, so a stale dist/ can never be served by a test.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256Hex } from '../../crypto/digest.js';

export interface PortalBundle { js: string; css: string }
/** The bundle with a strong ETag per file (a browser revalidates and gets 304 until the bundle changes). */
export interface ServedBundle { js: ServedFile; css: ServedFile }
export interface ServedFile { body: string; etag: string }

const HERE = dirname(fileURLToPath(import.meta.url));
/** The repository's root: the nearest folder above this module holding package.json. */
function repoRoot(): string {
  let dir = HERE;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('portal bundle: no package.json above ' + HERE);
    dir = up;
  }
  return dir;
}

const compiled = import.meta.url.endsWith('.js');

/** Builds the bundle from src/portal/web/app/main.tsx; `outdir` given: also writes the files. */
export async function buildPortalBundle(outdir?: string): Promise<PortalBundle> {
  const { build } = await import('esbuild');
  const root = repoRoot();
  const out = await build({
    absWorkingDir: root,
    entryPoints: { app: join(root, 'src/portal/web/app/main.tsx') },
    bundle: true,
    format: 'iife',
    target: ['es2022'],
    minify: true,
    legalComments: 'none',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: join(root, 'src/portal/web/app/tsconfig.json'),
    outdir: outdir ?? join(root, 'dist/portal'),
    write: outdir !== undefined,
    logLevel: 'silent',
  });
  if (outdir !== undefined) return readPrebuilt(outdir)!;
  const text = (ext: string) => out.outputFiles!.find((f) => f.path.endsWith(ext))?.text ?? '';
  return { js: text('.js'), css: text('.css') };
}

function readPrebuilt(dir: string): PortalBundle | undefined {
  const js = join(dir, 'app.js');
  const css = join(dir, 'app.css');
  if (!existsSync(js) || !existsSync(css)) return undefined;
  return { js: readFileSync(js, 'utf8'), css: readFileSync(css, 'utf8') };
}

/**
 * The bundle to serve: the prebuilt one when Orchard runs compiled (dist/) and it exists, else
 * one built in memory, once per process (the promise is shared by concurrent first requests).
 */
export function portalBundleSource(): () => Promise<ServedBundle> {
  let pending: Promise<ServedBundle> | undefined;
  const served = (b: PortalBundle): ServedBundle => ({ js: servedFile(b.js), css: servedFile(b.css) });
  return () => {
    if (!pending) {
      const prebuilt = compiled ? readPrebuilt(join(repoRoot(), 'dist/portal')) : undefined;
      pending = (prebuilt ? Promise.resolve(prebuilt) : buildPortalBundle()).then(served);
      // A failed build is retried by the next request rather than remembered.
      pending.catch(() => { pending = undefined; });
    }
    return pending;
  };
}

const servedFile = (body: string): ServedFile => ({ body, etag: `"${sha256Hex(Buffer.from(body)).slice(0, 32)}"` });
