import fc from 'fast-check';
import { afterEach, vi } from 'vitest';

// A test that logs console.error fails (STYLE.md §8): errors must be asserted, not printed.
const spy = vi.spyOn(console, 'error');
afterEach(() => {
  const calls = spy.mock.calls;
  if (calls.length > 0) {
    const first = calls.map((c) => c.map(String).join(' ')).join('\n');
    spy.mockClear();
    throw new Error(`console.error was called during the test:\n${first}`);
  }
});

// Property-based tests explore new random cases on every local run (FC_SEED replays one). In CI
// the seed is fixed, so a submission's result does not depend on the draw; failures found locally
// become regression tests with the counterexample.
const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : process.env.CI ? 20261127 : undefined;
if (seed !== undefined) fc.configureGlobal({ seed });
