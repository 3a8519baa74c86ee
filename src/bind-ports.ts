// Orchard's two listening ports, bound BEFORE anything is written to the data directory: a first
// start that met a port in use used to have written the demo organisation already, so the next
// start never showed the Administrator's password again. Requests that arrive while Orchard is
// still starting wait for it (clients that poll for the port see no difference), up to a bound;
// beyond it, or if the start fails, they get 503 with Retry-After.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { ConfigError, type Config } from './config.js';

export interface BoundPorts {
  main: http.Server;
  dep: http.Server;
  port: number;
  depPort: number;
  /** Hands the bound servers their request handlers; the requests that waited go to them. */
  serve(main: http.RequestListener, dep: http.RequestListener): void;
  close(): Promise<void>;
}

/** Requests held while starting, at most (each is a socket and its buffered request). */
const MAX_WAITING = 1000;

const starting: http.RequestListener = (_req, res) => {
  res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
  res.end('{"error":"starting","message":"Orchard is starting"}');
};

/** What was asked of a port, named as the user can change it. */
interface PortUse {
  what: string;
  port: number;
  setting: string;
}

function refusal(err: NodeJS.ErrnoException, use: PortUse, host: string): Error {
  const change = `choose another with ${use.setting}`;
  switch (err.code) {
    case 'EADDRINUSE':
      return new ConfigError(`port ${use.port} (${use.what}) is already in use on ${host}: stop what holds it, or ${change}; nothing was written`);
    case 'EACCES':
      return new ConfigError(`port ${use.port} (${use.what}) needs privileges on ${host}: ${change} (1024 or above); nothing was written`);
    case 'EADDRNOTAVAIL':
      return new ConfigError(`address ${host} is not one of this machine's: set --host ADDR (ORCHARD_HOST); nothing was written`);
    default:
      return err;
  }
}

function listen(server: net.Server, use: PortUse, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const failed = (err: NodeJS.ErrnoException) => reject(refusal(err, use, host));
    server.once('error', failed);
    server.listen(use.port, host, () => {
      server.off('error', failed);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

const closeServer = (s: net.Server) => new Promise<void>((r) => {
  (s as http.Server).closeAllConnections?.();
  s.close(() => r());
});

/** Binds the main and DEP ports (and checks a fixed local APNs port is free), or throws one line. */
export async function bindPorts(config: Config): Promise<BoundPorts> {
  let handlers: { main: http.RequestListener; dep: http.RequestListener } | undefined;
  const waiting: Array<{ face: 'main' | 'dep'; req: http.IncomingMessage; res: http.ServerResponse }> = [];
  const dispatch = (face: 'main' | 'dep'): http.RequestListener => (req, res) => {
    if (handlers) return handlers[face](req, res);
    if (waiting.length >= MAX_WAITING) return starting(req, res);
    waiting.push({ face, req, res });
  };
  const main = http.createServer({ keepAliveTimeout: 65_000 }, dispatch('main'));
  const dep = http.createServer({ keepAliveTimeout: 65_000 }, dispatch('dep'));
  const bound: net.Server[] = [];
  try {
    const port = await listen(main, { what: 'admin API, portal, MDM', port: config.port, setting: '--port N (PORT)' }, config.host);
    bound.push(main);
    const depPort = await listen(dep, { what: 'Device Assignment API', port: config.depPort, setting: '--dep-port N (ORCHARD_DEP_PORT)' }, config.host);
    bound.push(dep);
    // The in-process local APNs binds its own port later; a fixed one is tried now, so that it too
    // fails before the first write (a tiny window remains between this probe and its bind).
    if (config.apns.mode === 'simulator' && config.apns.port) {
      const probe = net.createServer();
      await listen(probe, { what: 'local APNs', port: config.apns.port, setting: '--apns-port N (ORCHARD_APNS_PORT)' }, '127.0.0.1');
      await closeServer(probe);
    }
    return {
      main, dep, port, depPort,
      serve(m, d) {
        handlers = { main: m, dep: d };
        for (const w of waiting.splice(0)) handlers[w.face](w.req, w.res);
      },
      close: () => {
        for (const w of waiting.splice(0)) starting(w.req, w.res);
        return Promise.all([main, dep].map(closeServer)).then(() => undefined);
      },
    };
  } catch (err) {
    await Promise.all(bound.map(closeServer));
    throw err;
  }
}
