// Where a simulated device's key pairs come from. A real device makes its keys itself; so does
// the simulator by default. Benchmarks inject a pool generated once (an RSA-2048 key pair costs
// ~150 ms), so that thousands of devices enrol without thousands of key generations.
import { generateRsaKeyPair, type KeyPair } from '../crypto/keys.js';

export interface KeySource {
  take(): Promise<KeyPair>;
}

export const freshKeys: KeySource = { take: () => generateRsaKeyPair(2048) };

/** Keys generated up front and handed out in turn (round-robin once exhausted). */
export class KeyPool implements KeySource {
  private next = 0;
  private constructor(private readonly keys: KeyPair[]) {}

  static async generate(size: number): Promise<KeyPool> {
    return new KeyPool(await Promise.all(Array.from({ length: size }, () => generateRsaKeyPair(2048))));
  }

  static of(keys: KeyPair[]): KeyPool {
    if (keys.length === 0) throw new Error('a key pool needs at least one key');
    return new KeyPool(keys);
  }

  async take(): Promise<KeyPair> {
    return this.keys[this.next++ % this.keys.length]!;
  }
}
