// The data dir holds the database (accounts, sealed secrets, the event log), private keys and
// tokens: it is the owner's only, directories 0700 and files 0600, whatever the umask.
// Checked at every start. A file or directory that others can read is closed (chmod) rather than
// refused: that is how a previous Orchard left its data dir (0755/0644), and its database must
// keep working after an upgrade; the start logs which paths it closed. What cannot be closed (a
// path owned by another user) stops the start with the path named.
import fs from 'node:fs';
import path from 'node:path';

export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

/** Makes `dir` (created if missing) and everything under it owner-only; returns what it changed. */
export function secureDataDir(dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  const changed: string[] = [];
  const walk = (p: string) => {
    const st = fs.lstatSync(p);
    if (st.isSymbolicLink()) return; // never follow a link out of the data dir
    const wanted = st.isDirectory() ? DIR_MODE : FILE_MODE;
    if ((st.mode & 0o777) !== wanted) {
      try {
        fs.chmodSync(p, wanted);
      } catch (err) {
        throw new Error(`cannot make ${p} readable by its owner only (${(err as NodeJS.ErrnoException).code}): fix its owner or mode, Orchard will not start with it open to others`);
      }
      changed.push(p);
    }
    if (st.isDirectory()) for (const name of fs.readdirSync(p)) walk(path.join(p, name));
  };
  walk(dir);
  return changed;
}
