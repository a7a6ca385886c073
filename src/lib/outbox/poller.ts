import { log } from '../log/index.ts';

/**
 * A background pass run again and again (the outbox worker, the message worker, the scheduler):
 * at once, then every `intervalMs` after each pass ends; a failing pass (the database away) is said
 * once and backs off, doubling up to `maxBackoffMs`, until one succeeds again.
 */
export interface Poller {
  stop(): Promise<void>;
  /** Resolves after one full pass that started after the call (tests, CLIs). */
  flush(): Promise<void>;
}

export function startPoller(name: string, pass: () => Promise<unknown>, opts: { intervalMs: () => number; maxBackoffMs: number }): Poller {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let failures = 0;
  const tick = () => {
    running = pass()
      .then(() => {
        if (failures > 0) log.info(`${name} recovered`, { after: failures });
        failures = 0;
      })
      .catch((err) => {
        if (failures === 0) {
          const cause = (err as { cause?: { message?: string } }).cause?.message;
          log.warn(`${name} pass failed; backing off`, { error: cause ?? (err instanceof Error ? err.message.split('\n')[0] : String(err)) });
        }
        failures++;
      })
      .finally(() => {
        const interval = opts.intervalMs();
        if (!stopped) timer = setTimeout(tick, failures ? Math.min(opts.maxBackoffMs, interval * 2 ** failures) : interval);
      });
  };
  timer = setTimeout(tick, 0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
    async flush() {
      await running;
      await pass();
    },
  };
}
