import { describe, expect, it } from 'vitest';
import { sharedRead } from './shared-read.ts';

describe('sharedRead', () => {
  it('answers callers waiting together with one read, and a caller arriving mid-read with the next one', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const read = sharedRead<number, string>(`test-${Math.random()}`, async (requests) => {
      batches.push(requests);
      if (batches.length === 1) await new Promise<void>((r) => (release = r));
      return `read ${batches.length}`;
    });
    const first = read(1); // starts a read at once, alone
    await Promise.resolve();
    const during = [read(2), read(3), read(4)]; // arrive while it runs: they must not join it
    release();
    expect(await first).toBe('read 1');
    expect(await Promise.all(during)).toEqual(['read 2', 'read 2', 'read 2']);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('gives a failed read\'s error to its callers only, and goes on', async () => {
    let calls = 0;
    let release!: () => void;
    const read = sharedRead<string, string>(`test-${Math.random()}`, async (requests) => {
      calls++;
      if (calls === 1) {
        await new Promise<void>((r) => (release = r));
        throw new Error('database away');
      }
      return requests.join(',');
    });
    const failing = read('a');
    await Promise.resolve();
    const later = read('b');
    release();
    await expect(failing).rejects.toThrow('database away');
    expect(await later).toBe('b');
  });
});
