import { fold } from '../catalog/index.ts';
import synonymData from './synonyms.json' with { type: 'json' };
import compoundData from './compounds.json' with { type: 'json' };

/**
 * Query text → what both backends need: folded words, synonym groups found in the query, and (for
 * PostgreSQL) a tsquery string. Pure functions, so the behaviour is unit-tested without a database.
 *
 * Vietnamese is written in syllables separated by spaces, so "nước mắm" is two words and a phrase
 * synonym ("cà phê" = "cafe") is matched over consecutive words.
 */
export const MAX_WORDS = 12;
const MAX_WORD_LENGTH = 40;

/** Folded words of a text, in order ("Nước-mắm Phú Quốc!" → ["nuoc", "mam", "phu", "quoc"]). */
export function words(text: string): string[] {
  return (fold(text.normalize('NFC')).match(/[\p{L}\p{N}]+/gu) ?? []).map((w) => w.slice(0, MAX_WORD_LENGTH));
}

/**
 * Two-syllable words indexed and searched as one token (compounds.json), as folded word pairs.
 * The token starts with "0" so that no typed prefix of a real word ("che" while typing "chè")
 * reaches it: "chế biến" → "0chebien".
 */
export const compounds: Array<[string, string]> = compoundData.compounds.map((c) => {
  const [a, b] = words(c);
  if (!a || !b || words(c).length !== 2) throw new Error(`compounds.json: "${c}" must be two syllables`);
  return [a, b];
});
export const compoundToken = ([a, b]: [string, string]): string => `0${a}${b}`;

/**
 * The compounds in batches of four: the index joins each batch with one regexp_replace (eight
 * capture groups: PostgreSQL's backreferences stop at nine), scanning left to right; the query side does the same.
 */
export const compoundBatches: Array<Array<[string, string]>> = Array.from({ length: Math.ceil(compounds.length / 4) }, (_, i) => compounds.slice(i * 4, i * 4 + 4));

/** Folded words with the compounds joined ("so che bien" → ["0soche", "bien"]), exactly as the index holds them. */
export function joinCompounds(ws: string[]): string[] {
  let out = ws;
  for (const batch of compoundBatches) {
    const next: string[] = [];
    for (let i = 0; i < out.length; i++) {
      const pair = batch.find(([a, b]) => out[i] === a && out[i + 1] === b);
      if (pair) {
        next.push(compoundToken(pair));
        i++;
      } else next.push(out[i]!);
    }
    out = next;
  }
  return out;
}

/** The synonym groups, each as folded phrases (word lists). */
export const synonymGroups: string[][][] = synonymData.groups.map((g) => [...new Map(g.map((p) => {
  const ws = words(p);
  return [ws.join(' '), ws] as const;
})).values()]);

/** Meilisearch's synonyms setting: every phrase (as written and folded) maps to all the others. */
export function meiliSynonyms(groups: string[][] = synonymData.groups): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const group of groups) {
    const variants = [...new Set(group.flatMap((p) => [p.toLowerCase(), fold(p)]))];
    for (const v of variants) out[v] = [...new Set([...(out[v] ?? []), ...variants.filter((o) => o !== v)])];
  }
  return out;
}

/** Optimal-string-alignment distance, stopping early once it exceeds `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length]!;
}

/** Typos allowed in a word, as in our Meilisearch settings: none under 4 letters, 1 from 4, 2 from 8. */
export function typoBudget(word: string): number {
  return word.length >= 8 ? 2 : word.length >= 4 ? 1 : 0;
}

/**
 * Known words within the typo budget of `word` ("mamm" → ["mam"]), closest first, at most 3.
 * Words that are already known are not corrected; the first letter must match (a typo there is
 * rare and corrections become noise), as must digits.
 */
export function corrections(word: string, vocabulary: ReadonlySet<string>, prefix = false): string[] {
  const budget = typoBudget(word);
  if (budget === 0 || /\d/.test(word) || vocabulary.has(word)) return [];
  if (prefix) for (const v of vocabulary) if (v.startsWith(word)) return [];
  const found: Array<[string, number]> = [];
  for (const v of vocabulary) {
    if (v[0] !== word[0] || Math.abs(v.length - word.length) > budget) continue;
    const d = editDistance(word, v, budget);
    if (d <= budget) found.push([v, d]);
  }
  return found.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).slice(0, 3).map(([v]) => v);
}

export interface QueryPart {
  /** Consecutive query words (folded) this part covers. */
  words: string[];
  /** Equivalent phrases from the synonym data (folded word lists), not including `words` itself. */
  synonyms: string[][];
}

/** Splits the query words into parts, greedily matching the longest synonym phrase at each position. */
export function parts(ws: string[]): QueryPart[] {
  const out: QueryPart[] = [];
  for (let i = 0; i < ws.length;) {
    let best: { len: number; group: string[][] } | undefined;
    for (const group of synonymGroups) {
      for (const phrase of group) {
        const len = phrase.length;
        if (len > (best?.len ?? 0) && phrase.every((w, k) => ws[i + k] === w)) best = { len, group };
      }
    }
    if (best) {
      const span = ws.slice(i, i + best.len);
      out.push({ words: span, synonyms: best.group.filter((p) => p.join(' ') !== span.join(' ')) });
      i += best.len;
    } else {
      out.push({ words: [ws[i]!], synonyms: [] });
      i++;
    }
  }
  return out;
}

const lexeme = (w: string) => `'${w.replace(/'/g, "''")}'`;

/** One word group of a search, as tsquery strings: `own` (the words, anywhere) and `head` (synonyms, names/producer/group/place only). */
export interface MatchPart {
  own: string;
  /** Synonym phrases, unweighted: matched against the A–C vector (tsv_head), which holds exactly those fields. */
  head: string | null;
}

/**
 * The parts of a search, each matching when its own words match anywhere in the document or one
 * of its synonym phrases matches in the name, producer, group or place; every part must match
 * (several words narrow the result). The last word also matches as a prefix (people are still
 * typing); a word may match a known word within its typo budget. Returns null without words.
 */
export function matchParts(query: string, vocabulary: ReadonlySet<string>): MatchPart[] | null {
  const ws = joinCompounds(words(query)).slice(0, MAX_WORDS);
  if (ws.length === 0) return null;
  const last = ws.length - 1;
  let index = 0;
  return parts(ws).map((part) => {
    const own = part.words.map((w) => {
      const isLast = index++ === last;
      const alts = [isLast ? `${lexeme(w)}:*` : lexeme(w), ...corrections(w, vocabulary, isLast).map(lexeme)];
      return alts.length > 1 ? `(${alts.join(' | ')})` : alts[0]!;
    });
    const head = part.synonyms.map((p) => p.map(lexeme).join(' <-> '));
    return {
      own: own.length > 1 ? `(${own.join(' & ')})` : own[0]!,
      head: head.length ? head.map((h) => (head.length > 1 && h.includes('<->') ? `(${h})` : h)).join(' | ') : null,
    };
  });
}

/**
 * The whole search as one tsquery over the weighted document (ranking uses it on tsv_head):
 * synonyms carry the A–C weight restriction they have when matched against tsv_head.
 * "trà" → ('tra':* | 'che':ABC | 'tea':ABC). `found`: the query's matchParts, when the caller
 * has them already (typo corrections scan the whole vocabulary).
 */
export function toTsQuery(query: string, vocabulary: ReadonlySet<string>, found = matchParts(query, vocabulary)): string | null {
  const ws = joinCompounds(words(query)).slice(0, MAX_WORDS);
  if (ws.length === 0 || !found) return null;
  const synonymsOf = parts(ws);
  return found.map((part, i) => {
    const syn = synonymsOf[i]!.synonyms.map((p) => p.map((w) => `${lexeme(w)}:ABC`).join(' <-> '));
    if (syn.length === 0) return part.own;
    return `(${[part.own, ...syn.map((x) => (x.includes('<->') ? `(${x})` : x))].join(' | ')})`;
  }).join(' & ');
}
