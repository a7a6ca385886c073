import type { DbOrTx } from '../db/index.ts';
import { loadTerms } from './search.repository.ts';

/**
 * The index's words, kept in memory per process for typo correction (a few thousand words even
 * at 100k products). Refreshed every 10 s and whenever this process reindexes, so another
 * instance's new words become correctable within seconds; exact and prefix matches never wait.
 */
const TTL_MS = 10_000;
let cached: { at: number; words: Promise<Set<string>> } | undefined;

export function vocabulary(db: DbOrTx): Promise<Set<string>> {
  if (!cached || Date.now() - cached.at > TTL_MS) {
    const words = loadTerms(db).then((t) => new Set(t));
    cached = { at: Date.now(), words };
    words.catch(() => {
      cached = undefined;
    });
  }
  return cached.words;
}

export function invalidateVocabulary(): void {
  cached = undefined;
}
