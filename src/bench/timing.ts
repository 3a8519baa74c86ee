// Elapsed time from a process.hrtime.bigint() reading, in milliseconds.
export const msSinceNs = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
