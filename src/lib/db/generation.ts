import { database } from './index.ts';

/**
 * The change generation: the sequence `page_cache_generation` (migration 0008), which advances at
 * the commit of every transaction that changes what public pages show (products and their stock,
 * producers, certificates, lots and their events, combos, search documents, reference data),
 * whoever commits it. Whatever this process keeps from those tables (rendered pages in
 * lib/http/page-cache, each lot's part of the provenance page in lib/trace) is tagged with the
 * generation it was read under and dropped when the generation moves.
 *
 * The sequence advances just before its transaction's commit becomes visible, so data read in
 * that instant may predate the change although the generation is already the new one. Reads
 * started less than SETTLE_MS after this process first saw a generation are therefore used but
 * not kept (`mayKeep`).
 *
 * State lives on globalThis: the start script and the built Astro server load their own copies
 * of this module and must share one view.
 */
export const SETTLE_MS = 500;

/** The generation as text, to select alongside other columns: `select …, ${GENERATION_COLUMN} as generation`. */
export const GENERATION_SQL = `(select last_value::text || case when is_called then '' else '-' end from page_cache_generation)`;

interface State {
  value: string | undefined;
  since: number;
  listeners: Set<() => void>;
  waiting: Array<(ok: boolean) => void>;
  reading: boolean;
}

const KEY = Symbol.for('cho-ocop.change-generation');
const state = ((globalThis as Record<symbol, unknown>)[KEY] ??= {
  value: undefined,
  since: 0,
  listeners: new Set(),
  waiting: [],
  reading: false,
} satisfies State) as State;

/** Records a generation read from the database; listeners run when it differs from the last one. */
export function observeGeneration(value: string): void {
  if (value === state.value) return;
  state.value = value;
  state.since = Date.now();
  for (const fn of state.listeners) fn();
}

/** The database could not be asked: nothing read before may be trusted. */
export function forgetGeneration(): void {
  state.value = undefined;
  for (const fn of state.listeners) fn();
}

export function currentGeneration(): string | undefined {
  return state.value;
}

/** May data read under `generation` by a read that started at `startedAt` (ms) be kept? */
export function mayKeep(generation: string | undefined, startedAt: number): boolean {
  return generation !== undefined && generation === state.value && startedAt >= state.since + SETTLE_MS;
}

/** Runs `fn` whenever the generation moves (or is forgotten). */
export function onGenerationChange(fn: () => void): void {
  state.listeners.add(fn);
}

/**
 * Reads the generation for every caller waiting now, in one query; a caller only joins a read
 * that starts after it called, so a change committed before the call is always seen. Resolves
 * false when the database cannot answer.
 */
export function refreshGeneration(): Promise<boolean> {
  return new Promise((resolve) => {
    state.waiting.push(resolve);
    if (!state.reading) void readLoop();
  });
}

async function readLoop(): Promise<void> {
  state.reading = true;
  try {
    while (state.waiting.length) {
      const batch = state.waiting;
      state.waiting = [];
      let ok = true;
      try {
        const { sql } = await database();
        const [row] = await sql.unsafe<Array<{ g: string }>>(`select ${GENERATION_SQL} as g`);
        observeGeneration(row!.g);
      } catch {
        ok = false;
        forgetGeneration();
      }
      for (const resolve of batch) resolve(ok);
    }
  } finally {
    state.reading = false;
  }
}
