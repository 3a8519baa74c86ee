#!/usr/bin/env node
// The Orchard command line: `orchard serve` (default) and the tools built on the same services.
// Each command's modules load when it runs, so `--help` and usage errors answer at once.
import { ConfigError, loadConfig } from '../src/config.js';
import { describeFailure } from '../src/cli/errors.js';
import { COMMANDS, usageOf } from '../src/cli/help.js';
import { progressLog } from '../src/cli/progress.js';

async function serve(argv: string[]) {
  const config = loadConfig(process.env, argv);
  const { startOrchard } = await import('../src/server.js');
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

/** The flags every command takes, wherever they stand; the rest goes to the command. */
function globalFlags(args: string[]) {
  const has = (...names: string[]) => args.some((a) => names.includes(a));
  return {
    help: has('--help', '-h'), verbose: has('--verbose'), progress: has('--progress'),
    rest: args.filter((a) => !['--help', '-h', '--verbose', '--progress'].includes(a)),
  };
}

let verbose = process.argv.includes('--verbose');

async function main() {
  const [first, ...more] = process.argv.slice(2);
  // No command, or settings first (`orchard --port 9000`): serve.
  const command = first === undefined || (first.startsWith('-') && first !== '--help' && first !== '-h') ? 'serve' : first;
  const g = globalFlags(command === first ? more : process.argv.slice(2));
  verbose = g.verbose;
  if (command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(await usageOf(command === 'help' ? g.rest[0] : undefined));
    return;
  }
  if (g.help) {
    process.stdout.write(await usageOf(command));
    return;
  }
  const argv = g.rest;
  switch (command) {
    case 'serve':
      return serve(argv);
    case 'sim': {
      // `sim run` stops on Ctrl-C; `sim enrol` keeps Node's default (exit at once).
      const stopped = new Promise<void>((resolve) => {
        if (argv[0] !== 'run') return;
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      const { simCommand } = await import('../src/sim/cli.js');
      process.exitCode = await simCommand(argv, (t) => process.stdout.write(t), { stopped, progress: progressLog(g.progress) });
      // Nothing else keeps the process: `enrol` ends here, `run` after its stop.
      process.exit();
    }
    case 'token':
      return void (await (await import('../src/cli/token.js')).tokenCommand(argv));
    case 'devices':
      return (await import('../src/cli/devices.js')).devicesCommand(argv, (t) => process.stdout.write(t), progressLog(g.progress));
    case 'apns-sim': {
      const sim = await (await import('../src/cli/apns-sim.js')).apnsSimCommand(argv);
      const stop = async () => {
        await sim.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return;
    }
    case 'bench':
      return (await import('../src/cli/bench.js')).benchCommand(argv, process.stdout, progressLog(g.progress));
    case 'admin':
      return void (await (await import('../src/cli/admin.js')).adminCommand(argv));
    default:
      throw new ConfigError(`unknown command ${command}: the commands are ${COMMANDS.join(', ')} (npx orchard --help)`);
  }
}

main().catch((err) => {
  const { text, exitCode } = describeFailure(err, verbose, process.argv.slice(2));
  process.stderr.write(text);
  process.exit(exitCode);
});
