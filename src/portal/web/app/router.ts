// Hash routing: `#/devices`, `#/devices/SERIAL`. The hash names the page; the server serves one HTML page.
import { useEffect, useState } from 'preact/hooks';

export interface Match<R> { route: R; params: Record<string, string> }

export function currentPath(): string {
  const h = window.location.hash.replace(/^#/, '');
  return h.startsWith('/') ? h.split('?')[0]! : '/';
}

export function match<R extends { path: string }>(routes: readonly R[], path: string): Match<R> | undefined {
  const parts = path.split('/').filter(Boolean);
  for (const route of routes) {
    const pattern = route.path.split('/').filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    pattern.forEach((seg, i) => {
      if (seg.startsWith(':')) params[seg.slice(1)] = decodeURIComponent(parts[i]!);
      else if (seg !== parts[i]) ok = false;
    });
    if (ok) return { route, params };
  }
  return undefined;
}

export const href = (path: string) => `#${path}`;
export function navigate(path: string): void { window.location.hash = path; }

/** The current hash path, kept up to date. */
export function useHashPath(): string {
  const [path, setPath] = useState(currentPath());
  useEffect(() => {
    const on = () => setPath(currentPath());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return path;
}
