// The routes an Express app really mounts, read from its router stack (Express 5 / router 2):
// each layer with a `route` is an endpoint; a layer whose handle has a `stack` is a sub-router
// mounted at its `rawPath` (undefined for `r.use(subRouter)` without a path).
import type { Express } from 'express';

export interface MountedRoute { method: string; path: string }

export function mountedRoutes(app: Express, under: string): MountedRoute[] {
  const out: MountedRoute[] = [];
  const walk = (layers: any[], prefix: string) => {
    for (const layer of layers) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) {
          if (method === '_all') continue;
          out.push({ method: method.toUpperCase(), path: prefix + layer.route.path });
        }
      } else if (Array.isArray(layer.handle?.stack)) {
        walk(layer.handle.stack, prefix + (typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : ''));
      }
    }
  };
  walk((app as any).router.stack, '');
  return out.filter((r) => r.path.startsWith(under + '/') || r.path === under);
}
