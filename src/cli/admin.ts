// `orchard admin reset-password [--email <Managed Apple ID>] [--data-dir DIR]`: the server
// operator's way back in when the demo Administrator's password (shown once, at the first start)
// is lost. It sets a new random password through AccountService.setPassword, the same method as
// the admin API's reset route (so the same password policy), audits it in the account's
// organisation, and prints the password once.
import { randomBytes } from 'node:crypto';
import { systemClock } from '../clock.js';
import { ConfigError, loadConfig } from '../config.js';
import { CliError } from './errors.js';
import { openDataDir } from './data-dir.js';
import { demoAdministratorEmail } from './help.js';
import { ownFlags } from './token.js';

export async function adminCommand(argv: string[], out: NodeJS.WritableStream = process.stdout): Promise<string | undefined> {
  const [sub, ...rest] = argv;
  if (sub === 'import-upgrade') return void (await (await import('./import-upgrade.js')).importUpgradeCommand(rest, out));
  if (sub !== 'reset-password') throw new ConfigError(`unknown admin command ${sub ?? '(none)'}: the commands are \`npx orchard admin reset-password\` and \`npx orchard admin import-upgrade <file>\` (npx orchard admin --help)`);
  const { own, rest: settings } = ownFlags(rest, ['--email']);
  const config = loadConfig(process.env, settings);
  const email = own['--email'] ?? demoAdministratorEmail();
  const { store, services, close } = openDataDir(config, 'admin reset-password');
  try {
    const account = await store.accounts.getByEmail(email);
    if (!account) throw new CliError(`admin reset-password: no account ${email} in ${config.dataDir}: name an existing Managed Apple ID with --email`);
    const password = randomBytes(12).toString('base64url');
    await services.accounts.setPassword('system', account.id, password);
    await store.audit.append({
      orgId: account.orgId, actor: 'server-operator', action: 'orchard admin reset-password', target: account.id,
      outcome: 'success', detail: { email: account.email }, at: systemClock.now(),
    });
    const inactive = account.active ? '' : '\n  note               the account is deactivated: an Administrator must reactivate it before it can sign in';
    out.write(`New password for ${account.email} (shown once):\n  password           ${password}${inactive}\n`);
    return password;
  } finally {
    close();
  }
}
