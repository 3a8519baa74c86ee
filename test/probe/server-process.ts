// A real `orchard serve` for the probes (src/bench/orchard-process.ts), started again on other
// ports when a free port it picked was taken in between by another process on the machine.
import { startOrchardProcess, type OrchardProcess } from '../../src/bench/orchard-process.js';

export async function startServer(dataDir: string, env?: Record<string, string>): Promise<OrchardProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOrchardProcess(dataDir, { env });
    } catch (e) {
      if (attempt >= 3 || !/EADDRINUSE/.test((e as Error).message)) throw e;
    }
  }
}
