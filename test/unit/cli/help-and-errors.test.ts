// The command line as a new user meets it (issue 14): `--help` everywhere prints usage and exits 0;
// every failure is one line on stderr that says what to do, with a non-zero exit code, and the
// stack only with --verbose. The real CLI runs in a child process.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { ApiClientError } from '../../../src/client/index.js';
import { describeFailure } from '../../../src/cli/errors.js';
import { progressLog } from '../../../src/cli/progress.js';
import { closedPort, runCli, type CliRun } from '../../support/cli.js';
import { tempDir } from '../../support/harness.js';

const oneLine = (r: CliRun) => {
  assert.equal(r.stderr.split('\n').length, 2, `one line expected, got:\n${r.stderr}`);
  assert.ok(r.stderr.endsWith('\n'));
  assert.doesNotMatch(r.stderr, /^\s+at /m);
};

describe('orchard --help', function () {
  this.timeout(120_000);

  it('orchard --help, -h and help print the usage on stdout and exit 0', async () => {
    const runs = await Promise.all([runCli(['--help']), runCli(['-h']), runCli(['help'])]);
    for (const r of runs) {
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
      assert.match(r.stdout, /^usage: npx orchard <command> \[options\]\n/);
      for (const c of ['serve', 'sim enrol', 'sim run', 'token', 'apns-sim', 'bench', 'admin reset-password']) assert.match(r.stdout, new RegExp(`\\n  ${c} `));
      assert.match(r.stdout, /--verbose/);
    }
    assert.equal(runs[0]!.stdout, runs[1]!.stdout);
    assert.equal(runs[0]!.stdout, runs[2]!.stdout);
  });

  const perCommand: Array<[string[], RegExp]> = [
    [['serve', '--help'], /^usage: npx orchard serve \[settings\]\n[\s\S]*--dep-port N/],
    [['sim', '--help'], /^usage: npx orchard sim enrol --serial SERIAL/],
    [['sim', 'enrol', '--help'], /^usage: npx orchard sim enrol --serial SERIAL[\s\S]*npx orchard sim run/],
    [['sim', 'run', '-h', '--serial', 'X'], /^usage: npx orchard sim enrol/],
    [['token', '--help'], /^usage: npx orchard token --server <name\|id>/],
    [['apns-sim', '--help'], /^usage: npx orchard apns-sim \[--host ADDR\]/],
    [['bench', '--help'], /^usage: npx orchard bench \[scenario…\][\s\S]*scenarios: dep, enrol/],
    [['admin', '--help'], /^usage: npx orchard admin reset-password \[--email <Managed Apple ID>\] \[--data-dir DIR\]\n/],
    [['admin', 'reset-password', '--help'], /^usage: npx orchard admin reset-password/],
    [['help', 'token'], /^usage: npx orchard token /],
  ];
  it('orchard <command> --help prints that command\'s usage and exits 0, whatever else is on the line', async () => {
    const runs = await Promise.all(perCommand.map(([args]) => runCli(args)));
    runs.forEach((r, i) => {
      const [args, usage] = perCommand[i]!;
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr, '', args.join(' '));
      assert.match(r.stdout, usage, args.join(' '));
      assert.match(r.stdout, /--help, -h/, args.join(' '));
    });
  });
});

describe('orchard: errors are one line that says what to do', function () {
  this.timeout(120_000);

  it('an unknown command or option: exit 2 and the one line names the fix', async () => {
    const [command, option, simOption, scenario] = await Promise.all([
      runCli(['frob']), runCli(['serve', '--frob']), runCli(['sim', 'enrol', '--frob', '1']), runCli(['bench', 'nosuch']),
    ]);
    assert.equal(command.code, 2);
    assert.equal(command.stderr, 'orchard: unknown command frob: the commands are serve, sim, token, devices, apns-sim, bench, admin (npx orchard --help)\n');
    assert.equal(command.stdout, '');
    assert.equal(option.code, 2);
    oneLine(option);
    assert.match(option.stderr, /^orchard: unknown option --frob; known: --data-dir, --port, /);
    assert.equal(simOption.code, 2);
    assert.equal(simOption.stderr, 'orchard: unknown option --frob (npx orchard sim --help)\n');
    assert.equal(scenario.code, 2);
    assert.equal(scenario.stderr, 'orchard: unknown scenario nosuch: the scenarios are dep, enrol, checkin, push, memory, reference, fanout\n');
  });

  it('sim enrol --url against a closed port names the URL and what to check; --verbose adds the stack', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}`;
    const args = ['sim', 'enrol', '--serial', 'F2LXQ0ABCDEF', '--url', url, '--token', 'orch_x'];
    const [plain, verbose] = await Promise.all([runCli(args), runCli([...args, '--verbose'])]);
    assert.equal(plain.code, 1);
    assert.equal(plain.stderr, `orchard: cannot reach ${url} (nothing listens there, ECONNREFUSED): check that Orchard is running there (npx orchard serve) and that the URL's host and port are the ones it printed\n`);
    assert.equal(plain.stdout, '');
    assert.equal(verbose.code, 1);
    const [first, ...rest] = verbose.stderr.split('\n');
    assert.equal(`${first}\n`, plain.stderr);
    assert.equal(rest[0], 'TypeError: fetch failed');
    assert.match(verbose.stderr, /^\s+at /m);
    assert.match(verbose.stderr, /caused by: Error: connect ECONNREFUSED 127\.0\.0\.1:\d+/);
  });

  it('a missing token file is one line that names the file and the flags (exit 2)', async () => {
    const r = await runCli(['sim', 'enrol', '--serial', 'X', '--url', 'http://127.0.0.1:9', '--token-file', '/nonexistent/admin-token']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'orchard: cannot read the API token from /nonexistent/admin-token (ENOENT): pass --token TOKEN or --token-file FILE (serve writes <data dir>/admin-token on its first start)\n');
  });

  it('an unexpected failure (a URL that is not Orchard) is one line pointing at --verbose, no stack', async () => {
    const server = http.createServer((_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<html>not here</html>'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const r = await runCli(['sim', 'enrol', '--serial', 'X', '--url', url, '--token', 'orch_x']);
      assert.equal(r.code, 1);
      oneLine(r);
      assert.match(r.stderr, /^orchard: .+ \(run again with --verbose for details\)\n$/);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('a file that cannot be opened is one line naming it (apns-sim --tls-cert)', async () => {
    const r = await runCli(['apns-sim', '--tls-cert', '/nonexistent/tls.pem', '--tls-key', '/nonexistent/tls.key', '--push-ca', '/nonexistent/ca.pem']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'orchard: cannot use /nonexistent/tls.pem (it does not exist, ENOENT): check the path given (or the data directory, --data-dir) and its permissions\n');
  });

  it('a port in use (apns-sim --port) is one line naming the port', async () => {
    const held = http.createServer();
    await new Promise<void>((r) => held.listen(0, '127.0.0.1', r));
    try {
      const port = (held.address() as AddressInfo).port;
      const r = await runCli(['apns-sim', '--port', String(port), '--device-port', '0', '--data-dir', tempDir('orchard-apns-sim-')]);
      assert.equal(r.code, 1);
      assert.equal(r.stderr, `orchard: port ${port} is already in use on 127.0.0.1: stop what holds it, or choose another port (see the command's --help)\n`);
    } finally {
      await new Promise<void>((r) => held.close(() => r()));
    }
  });

  it('admin reset-password on a directory without Orchard data: one line naming --data-dir, and nothing created', async () => {
    const r = await runCli(['admin', 'reset-password', '--data-dir', '/nonexistent/orchard-data']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'orchard: admin reset-password: no Orchard data in /nonexistent/orchard-data: name the server\'s data directory with --data-dir DIR (or ORCHARD_DATA_DIR), or start `npx orchard serve` first\n');
  });
});

describe('orchard: what the admin API refused (ApiClientError) is one line', () => {
  it('names the route, status, code, message and field pointers, with a hint for 401', () => {
    const bad = new ApiClientError(400, 'invalid_request', 'the body does not match', { errors: [{ pointer: '/body/serial_number', problem: 'must be string', expected: 'string' }] }, 'POST', '/api/v1/sim/device-identities');
    assert.deepEqual(describeFailure(bad, false), {
      text: 'orchard: the server refused POST /api/v1/sim/device-identities: 400 invalid_request: the body does not match [/body/serial_number: must be string (expected string)]\n',
      exitCode: 1,
    });
    const denied = new ApiClientError(401, 'invalid_token', 'the token is not valid', undefined, 'GET', '/api/v1/apns');
    assert.equal(describeFailure(denied, false).text, 'orchard: the server refused GET /api/v1/apns: 401 invalid_token: the token is not valid: check the token (--token or --token-file)\n');
  });
});

describe('progress of long commands', () => {
  const stream = (isTTY: boolean) => Object.assign(new PassThrough(), { isTTY }) as unknown as NodeJS.WriteStream & PassThrough;

  it('goes to the stream when it is a terminal or --progress asks, and nowhere otherwise', () => {
    const tty = stream(true);
    progressLog(false, tty)('bench [1/6]: DEP sync');
    assert.equal(String(tty.read()), 'bench [1/6]: DEP sync\n');
    const piped = stream(false);
    progressLog(false, piped)('quiet');
    assert.equal(piped.read(), null);
    const asked = stream(false);
    progressLog(true, asked)('bench [2/6]: enrolment');
    assert.equal(String(asked.read()), 'bench [2/6]: enrolment\n');
  });
});
