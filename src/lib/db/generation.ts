import { database } from './index.ts';
import { sharedRead } from './shared-read.ts';

/**
 * Change generations: database sequences that advance at the commit of every transaction changing
 * what some cached view was read from, whoever commits it (this process, another instance, a CLI,
 * psql). Whatever a process keeps from those tables is tagged with the generation it was read
 * under and dropped when the generation moves.
 *
 * - `page_cache_generation` (migration 0008): anything public pages show (products and their
 *   stock, producers, certificates, lots and their events, combos, search documents, reference
 *   data). Rendered pages in lib/http/page-cache and each lot's part of the provenance page in
 *   lib/trace live under it.
 * - `search_index_generation` (migration 0011): the search index (`search_documents`) alone, so
 *   the search backend's in-memory copy survives stock moves and other writes search never reads.
 *
 * A sequence advances just before its transaction's commit becomes visible, so data read in that
 * instant may predate the change although the generation is already the new one. Reads started
 * less than SETTLE_MS after this process first saw a generation are therefore used but not kept
 * (`mayKeep`).
 *
 * State lives on globalThis: the start script and the built Astro server load their own copies
 * of this module and must share one view.
 */
export const SETTLE_MS = 500;

export interface ChangeGeneration {
  /** The generation as text, to select alongside other columns: `select …, ${sql} as generation`. */
  readonly sql: string;
  /** Records a generation read from the database; listeners run when it differs from the last one. */
  observe(value: string): void;
  /** The database could not be asked: nothing read before may be trusted. */
  forget(): void;
  current(): string | undefined;
  /** May data read under `generation` by a read that started at `startedAt` (ms) be kept? */
  mayKeep(generation: string | undefined, startedAt: number): boolean;
  /** Runs `fn` whenever the generation moves (or is forgotten). */
  onChange(fn: () => void): void;
  /**
   * Reads the generation for every caller waiting now, in one query; a caller only joins a read
   * that starts after it called, so a change committed before the call is always seen. Resolves
   * false when the database cannot answer.
   */
  refresh(): Promise<boolean>;
}

interface State {
  value: string | undefined;
  since: number;
  listeners: Set<() => void>;
}

export function changeGeneration(sequence: 'page_cache_generation' | 'search_index_generation'): ChangeGeneration {
  const sqlText = `(select last_value::text || case when is_called then '' else '-' end from ${sequence})`;
  const key = Symbol.for(`cho-ocop.change-generation.${sequence}`);
  const state = ((globalThis as Record<symbol, unknown>)[key] ??= {
    value: undefined,
    since: 0,
    listeners: new Set(),
  } satisfies State) as State;

  const observe = (value: string) => {
    if (value === state.value) return;
    state.value = value;
    state.since = Date.now();
    for (const fn of state.listeners) fn();
  };
  const forget = () => {
    state.value = undefined;
    for (const fn of state.listeners) fn();
  };

  const read = sharedRead<void, boolean>(`change-generation.${sequence}`, async () => {
    try {
      const { sql } = await database();
      const [row] = await sql.unsafe<Array<{ g: string }>>(`select ${sqlText} as g`);
      observe(row!.g);
      return true;
    } catch {
      forget();
      return false;
    }
  });

  return {
    sql: sqlText,
    observe,
    forget,
    current: () => state.value,
    mayKeep: (generation, startedAt) => generation !== undefined && generation === state.value && startedAt >= state.since + SETTLE_MS,
    onChange: (fn) => void state.listeners.add(fn),
    refresh: () => read(undefined),
  };
}

/** What public pages show (page cache, provenance lots). */
export const pageGeneration = changeGeneration('page_cache_generation');
/** The search index alone (the search backend's in-memory copy). */
export const searchIndexGeneration = changeGeneration('search_index_generation');

/**
 * Values read from the database, kept per key under the generation they were read under: `get`
 * answers only for the generation the caller just read (so never stale), `keep` stores only
 * what `mayKeep` allows, everything goes when the generation moves, entries also expire after
 * `ttlMs` (certificate states follow the calendar) and the oldest go first beyond `max`.
 */
export class HeldUnder<K, V> {
  readonly #entries = new Map<K, { generation: string; expires: number; value: V }>();
  readonly #generation: ChangeGeneration;
  readonly #max: number;
  readonly #ttlMs: number;

  constructor(generation: ChangeGeneration, max: number, ttlMs: number) {
    this.#generation = generation;
    this.#max = max;
    this.#ttlMs = ttlMs;
    generation.onChange(() => this.#entries.clear());
  }

  get(key: K, generation: string | undefined): V | undefined {
    const kept = this.#entries.get(key);
    if (!kept) return undefined;
    if (kept.generation === generation && kept.expires > Date.now()) return kept.value;
    this.#entries.delete(key);
    return undefined;
  }

  /** Keeps `value`, read under `generation` by a read that started at `startedAt` (ms), when that is safe. */
  keep(key: K, value: V, generation: string | undefined, startedAt: number): void {
    if (!this.#generation.mayKeep(generation, startedAt)) return;
    this.#entries.delete(key);
    if (this.#entries.size >= this.#max) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, { generation: generation!, expires: Date.now() + this.#ttlMs, value });
  }

  get size(): number {
    return this.#entries.size;
  }
}
