/**
 * One read shared by every caller waiting at that moment. The first caller starts a read at once;
 * callers arriving while it runs wait for the next one, which starts as soon as it ends, with all
 * of them. So a caller only joins a read that starts after it called: a change committed before
 * the call is always seen, and a burst of callers costs one statement instead of one each.
 *
 * `read` answers every request of its batch at once (each caller picks its part of the answer);
 * if it throws, every caller of that batch gets the error. The state lives on globalThis under
 * `name`: the start script and the built Astro server load their own copies of the modules that
 * use it, and must share one queue.
 */
export function sharedRead<Q, A>(name: string, read: (requests: Q[]) => Promise<A>): (request: Q) => Promise<A> {
  interface State {
    waiting: Array<{ request: Q; resolve: (answer: A) => void; reject: (error: unknown) => void }>;
    reading: boolean;
  }
  const key = Symbol.for(`cho-ocop.shared-read.${name}`);
  const state = ((globalThis as Record<symbol, unknown>)[key] ??= { waiting: [], reading: false } satisfies State) as State;

  async function loop(): Promise<void> {
    state.reading = true;
    try {
      while (state.waiting.length) {
        const batch = state.waiting;
        state.waiting = [];
        try {
          const answer = await read(batch.map((w) => w.request));
          for (const w of batch) w.resolve(answer);
        } catch (error) {
          for (const w of batch) w.reject(error);
        }
      }
    } finally {
      state.reading = false;
    }
  }

  return (request) => new Promise<A>((resolve, reject) => {
    state.waiting.push({ request, resolve, reject });
    if (!state.reading) void loop();
  });
}
