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
