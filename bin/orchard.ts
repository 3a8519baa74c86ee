#!/usr/bin/env node
// The Orchard command line: `orchard serve` (default) and the tools built on the same services.
import { ConfigError, loadConfig } from '../src/config.js';
import { startOrchard } from '../src/server.js';
import { simCommand } from '../src/sim/cli.js';
import { tokenCommand } from '../src/cli/token.js';
import { apnsSimCommand } from '../src/cli/apns-sim.js';
import { benchCommand } from '../src/cli/bench.js';

const USAGE = `usage: orchard <command> [options]

commands:
  serve        run the server (default)
  sim enrol    a simulated device walks Setup Assistant (orchard sim --help)
  sim run      a simulated device enrols, checks in and answers pushed commands until Ctrl-C:
               orchard sim run --serial S --family iPhone|iPad|Mac|AppleTV --url URL [--token-file F] [--state-dir D]
  token        write an MDM server's current server token (.p7m) to a file:
               orchard token --server <name|id> [--org <organisation ID>] [--out FILE] [--data-dir DIR]
  apns-sim     run the local APNs on its own (TLS and push CA from the data dir's PKI):
               orchard apns-sim [--host ADDR] [--port 2197] [--device-port 2198] [--environment production|sandbox]
                                [--push-ca FILE] [--tls-cert FILE --tls-key FILE] [--data-dir DIR]
  bench        fleet-scale benchmarks against a temporary server (BENCHMARKS.md):
               orchard bench [dep|enrol|checkin|push|memory|reference …] [--quick] [--write FILE]
  help         show this text

options (or the environment variables in README.md):
  --data-dir DIR   --port N   --dep-port N   --host ADDR   --base-url URL
  --log-level debug|info|warn|error|silent   --test-controls
  --apns-mode simulator|production|sandbox   --apns-address HOST   --apns-port N
`;

async function serve(argv: string[]) {
  const config = loadConfig(process.env, argv);
  const orchard = await startOrchard(config);
  const b = orchard.bootstrap;
  const lines = [
    '',
    `Orchard is running at ${orchard.url}/`,
    `  admin API          ${orchard.url}/api/v1/   (health: ${orchard.url}/healthz)`,
    `  DEP API            ${orchard.depUrl}/  and  ${orchard.url}/dep/`,
    `  data directory     ${config.dataDir}`,
  ];
  if (orchard.apns) {
    lines.push(
      `  local APNs         ${orchard.apns.url}/3/device/{token}   (in-process; ORCHARD_APNS_MODE=simulator)`,
      `  APNs devices       ${orchard.apnsDeviceUrl}/devices/{token}/stream?topic={topic}   (simulated devices listen here)`,
      `                     ${orchard.apnsDeviceUrl}/devices/streams   (POST, many devices on one stream)`,
      `  APNs control API   ${orchard.apnsDeviceUrl}/control/counters, /control/faults ...`,
    );
  } else {
    lines.push(`  APNs               ${config.apns.mode}${config.apns.address ? ` via ${config.apns.address}:${config.apns.port ?? 443}` : ''}`);
  }
  if (config.testControls) lines.push(`  test controls      on: the operator token is in ${orchard.operatorTokenFile}`);
  if (b.created) {
    lines.push(
      '',
      'First start: created the demo organisation.',
      `  sign in as         ${b.adminEmail}`,
      `  password           ${b.adminPassword}   (shown once)`,
      `  admin API token    ${b.adminTokenFile}`,
      `  reseller (Basic)   ${b.resellerCredentialFile}   (${b.demoDevices} demo devices from fixtures/demo-orders.json)`,
      `  try                curl -H "Authorization: Bearer $(cat ${b.adminTokenFile})" ${orchard.url}/api/v1/organisation`,
    );
  }
  process.stdout.write(lines.join('\n') + '\n\n');
  const stop = async () => {
    await orchard.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // Started by another process over an IPC channel (the benchmark harness): end with it, so that
  // a harness killed mid-run leaves no server behind.
  if (process.send) process.once('disconnect', stop);
}

async function main() {
  const [command = 'serve', ...rest] = process.argv.slice(2);
  const argv = command.startsWith('--') ? [command, ...rest] : rest;
  switch (command.startsWith('--') ? 'serve' : command) {
    case 'serve':
      return serve(argv);
    case 'sim':
      if (rest.includes('--help')) {
        process.stdout.write((await import('../src/sim/cli.js')).SIM_USAGE);
        return;
      }
      {
        // `sim run` stops on Ctrl-C; `sim enrol` keeps Node's default (exit at once).
        const stopped = new Promise<void>((resolve) => {
          if (rest[0] !== 'run') return;
          process.once('SIGINT', () => resolve());
          process.once('SIGTERM', () => resolve());
        });
        process.exitCode = await simCommand(rest, (t) => process.stdout.write(t), { stopped });
        // Nothing else keeps the process: `enrol` ends here, `run` after its stop.
        process.exit();
      }
    case 'token':
      return tokenCommand(argv);
    case 'apns-sim': {
      const sim = await apnsSimCommand(argv);
      const stop = async () => {
        await sim.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return;
    }
    case 'bench':
      return benchCommand(argv);
    case 'help':
    case '--help':
      process.stdout.write(USAGE);
      return;
    default:
      throw new ConfigError(`unknown command ${command}\n${USAGE}`);
  }
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`orchard: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`orchard: ${err?.stack ?? err}\n`);
  process.exit(1);
});
