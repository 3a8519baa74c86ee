// CPU time a process has used so far (user + system), from Linux /proc/<pid>/stat: lets a
// scenario say how much CPU the server under test spent on its work, next to its throughput.
import fs from 'node:fs';

/** Clock ticks per second for /proc (USER_HZ); 100 on every Linux Node supports. */
const USER_HZ = 100;

/** CPU seconds (utime + stime) of a process, or undefined when /proc cannot say. */
export function cpuSecondsOf(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which is in parentheses and may hold spaces): utime is the
    // 14th field of the line, stime the 15th (proc(5)).
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / USER_HZ;
  } catch {
    return undefined;
  }
}
