import { afterEach, describe, expect, it, vi } from 'vitest';
import { HeldUnder, SETTLE_MS, type ChangeGeneration } from './generation.ts';

/** A generation under the test's control, with the real `mayKeep` rule (settled reads only). */
function fakeGeneration() {
  let value: string | undefined = '1';
  let since = 0;
  const listeners: Array<() => void> = [];
  const gen: ChangeGeneration = {
    sql: '',
    observe: (v) => {
      if (v === value) return;
      value = v;
      since = Date.now();
      for (const fn of listeners) fn();
    },
    forget: () => {
      value = undefined;
      for (const fn of listeners) fn();
    },
    current: () => value,
    mayKeep: (g, startedAt) => g !== undefined && g === value && startedAt >= since + SETTLE_MS,
    onChange: (fn) => void listeners.push(fn),
    refresh: async () => true,
  };
  return gen;
}

describe('HeldUnder', () => {
  afterEach(() => vi.useRealTimers());

  it('answers only for the generation a value was read under, and drops everything when the generation moves or is forgotten', () => {
    const gen = fakeGeneration();
    const held = new HeldUnder<string, number>(gen, 10, 60_000);
    held.keep('a', 1, '1', Date.now());
    expect(held.get('a', '1')).toBe(1);
    expect(held.get('a', '2')).toBeUndefined(); // a caller that read another generation never gets it
    held.keep('a', 1, '1', Date.now());
    gen.observe('2');
    expect(held.size).toBe(0);
    expect(held.get('a', '1')).toBeUndefined();
    held.keep('b', 2, '2', Date.now() + SETTLE_MS);
    expect(held.get('b', '2')).toBe(2);
    gen.forget();
    expect(held.get('b', '2')).toBeUndefined();
  });

  it('keeps nothing read in the settling instant after a generation was first seen, nor under a generation that is no longer current', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const gen = fakeGeneration();
    gen.observe('5');
    const held = new HeldUnder<string, number>(gen, 10, 60_000);
    held.keep('a', 1, '5', Date.now()); // read at once: the change's commit may not be visible yet
    expect(held.get('a', '5')).toBeUndefined();
    held.keep('a', 1, '4', Date.now() + SETTLE_MS); // an older generation
    expect(held.get('a', '4')).toBeUndefined();
    held.keep('a', 1, '5', Date.now() + SETTLE_MS);
    expect(held.get('a', '5')).toBe(1);
  });

  it('expires entries after ttlMs and drops the oldest beyond max', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const gen = fakeGeneration();
    const held = new HeldUnder<string, number>(gen, 2, 1_000);
    held.keep('a', 1, '1', Date.now());
    held.keep('b', 2, '1', Date.now());
    held.keep('c', 3, '1', Date.now());
    expect(held.size).toBe(2);
    expect(held.get('a', '1')).toBeUndefined();
    expect(held.get('c', '1')).toBe(3);
    vi.advanceTimersByTime(1_001);
    expect(held.get('b', '1')).toBeUndefined();
    expect(held.get('c', '1')).toBeUndefined();
  });
});
