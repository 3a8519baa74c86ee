// Progress of long commands (bench, many simulated devices) goes to stderr, one line per step,
// and only when someone watches (stderr is a terminal) or --progress asks for it: stdout stays
// the command's result, parseable as before, and logs of scripted runs stay quiet.
export type ProgressLog = (line: string) => void;

export function progressLog(asked: boolean, stream: NodeJS.WriteStream = process.stderr): ProgressLog {
  if (!asked && !stream.isTTY) return () => {};
  return (line) => void stream.write(line + '\n');
}
