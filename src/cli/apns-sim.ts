// `orchard apns-sim`: the local APNs on its own, standing in for Apple's service offline. Its
// TLS identity is issued by the data dir's root CA and it trusts the data dir's push CA (the
// same PKI `serve` uses), unless --tls-cert/--tls-key and --push-ca name other files.
// An Orchard elsewhere points at it with ORCHARD_APNS_MODE=sandbox ORCHARD_APNS_ADDRESS=<host>
// ORCHARD_APNS_PORT=<port> and trusts the root CA; devices hold `<device URL>/devices/{token}/stream`.
import fs from 'node:fs';
import { systemClock } from '../clock.js';
import { ConfigError, loadConfig } from '../config.js';
import { localApnsTls } from '../apns/local-apns.js';
import { startApnsSimulator, type ApnsSimulator } from '../apns/simulator.js';
import { toPem } from '../crypto/certificates.js';
import { loadOrCreatePki } from '../pki-loader.js';
import { ownFlags } from './token.js';

const port = (v: string | undefined, dflt: number, name: string): number => {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(`apns-sim: ${name} must be a port number`);
  return n;
};

export async function apnsSimCommand(argv: string[], out: NodeJS.WritableStream = process.stdout): Promise<ApnsSimulator> {
  const { own, rest } = ownFlags(argv, ['--host', '--port', '--device-port', '--push-ca', '--tls-cert', '--tls-key', '--environment']);
  const config = loadConfig(process.env, rest);
  const host = own['--host'] ?? '127.0.0.1';
  const environment = own['--environment'] ?? 'production';
  if (environment !== 'production' && environment !== 'sandbox') throw new ConfigError('apns-sim: --environment is production or sandbox');
  if (!!own['--tls-cert'] !== !!own['--tls-key']) throw new ConfigError('apns-sim: --tls-cert and --tls-key go together');
  const needPki = !own['--tls-cert'] || !own['--push-ca'];
  const pki = needPki ? await loadOrCreatePki(config.dataDir, systemClock) : undefined;
  const tls = own['--tls-cert']
    ? { certPem: fs.readFileSync(own['--tls-cert'], 'utf8'), keyPem: fs.readFileSync(own['--tls-key']!, 'utf8') }
    : await localApnsTls(pki!, host, systemClock.now());
  const pushCaPem = own['--push-ca'] ? fs.readFileSync(own['--push-ca'], 'utf8') : toPem(pki!.pushCa.cert);
  const sim = await startApnsSimulator({
    host, port: port(own['--port'], 2197, '--port'), devicePort: port(own['--device-port'], 2198, '--device-port'), tls, pushCaPem, environment,
  });
  const c = sim.deviceUrl;
  out.write([
    '',
    `Local APNs (${environment}) is running.`,
    `  provider API (HTTP/2, TLS)  ${sim.url}/3/device/{token}   client certificates must chain to ${own['--push-ca'] ?? `${config.dataDir}/pki/push-ca.cert.pem`}`,
    `  TLS issued by              ${own['--tls-cert'] ? own['--tls-cert'] : `${config.dataDir}/pki/ca.cert.pem`}`,
    `  device channel             ${c}/devices/{token}/stream?topic={topic}   (server-sent events, one per push)`,
    '  control API (no auth)',
    `    GET  ${c}/control/counters | /control/requests | /control/faults | /control/devices/{token}`,
    `    PUT  ${c}/control/faults {tooManyRequests, internalServerError, serviceUnavailable}   (rates 0..1)`,
    `    POST ${c}/control/force {count, status, reason} | /control/drop {count} | /control/reset`,
    `    POST ${c}/control/unregister {token, timestamp?} | /control/reregister {token} | /control/disconnect {token}`,
    '',
  ].join('\n') + '\n');
  return sim;
}
