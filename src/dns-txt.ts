// TXT lookups for domain verification, through node's own resolver. The servers come from
// config (ORCHARD_DNS_SERVERS); tests point them at a loopback DNS stub.
import { promises as dns } from 'node:dns';

/** The TXT records of `name`, each as its strings; [] when the name has none. Throws when DNS fails. */
export type TxtLookup = (name: string) => Promise<string[][]>;

/** Why a lookup found nothing usable, in words an admin can act on. */
export class DnsLookupError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export function createTxtLookup(servers?: string[], timeoutMs = 3000): TxtLookup {
  const resolver = new dns.Resolver({ timeout: timeoutMs, tries: 2 });
  if (servers?.length) resolver.setServers(servers);
  return async (name) => {
    try {
      return await resolver.resolveTxt(name);
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'EUNKNOWN';
      // No such name, or a name without TXT: nothing published (yet).
      if (code === dns.NOTFOUND || code === dns.NODATA) return [];
      throw new DnsLookupError(code, `the DNS lookup of ${name} failed (${code})`);
    }
  };
}
