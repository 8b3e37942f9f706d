/**
 * Typo tolerance: a bounded Damerau-Levenshtein distance and a deletion index (the
 * "symmetric delete" trick), so a misspelt word is looked up without scanning every name.
 */

/** Edits allowed for a word of this length: none under 5 letters, one from 5, two from 9. */
export function maxEditsFor(length: number): number {
  if (length >= 9) return 2;
  if (length >= 5) return 1;
  return 0;
}

/**
 * Optimal-string-alignment distance between a and b, or `max + 1` as soon as it is known
 * to exceed `max`.
 */
export function boundedDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a === b) return 0;
  const n = b.length;
  // Three reused rows (no allocation per call once they are large enough).
  if (rows[0]!.length < n + 1) rows = [new Int32Array(n + 1), new Int32Array(n + 1), new Int32Array(n + 1)];
  let [prev2, prev, cur] = rows as [Int32Array, Int32Array, Int32Array];
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const cb = b.charCodeAt(j - 1);
      const cost = ca === cb ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) {
        v = Math.min(v, prev2[j - 2]! + 1);
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[n]!;
}

let rows: Int32Array[] = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/** Every string obtained by deleting up to `edits` characters of `word` (the word included). */
export function deletions(word: string, edits: number): Set<string> {
  const out = new Set<string>([word]);
  let frontier = [word];
  for (let e = 0; e < edits; e++) {
    const next: string[] = [];
    for (const w of frontier) {
      for (let i = 0; i < w.length; i++) {
        const d = w.slice(0, i) + w.slice(i + 1);
        if (!out.has(d)) {
          out.add(d);
          next.push(d);
        }
      }
    }
    frontier = next;
  }
  return out;
}

// Deletions are indexed on the first characters only (as SymSpell does): candidates are then
// checked on the whole word. This keeps the index small enough to build in milliseconds.
const PREFIX = 7;
/** Query prefixes whose candidates are kept (then the memory starts over). */
const CANDIDATES_MAX = 20_000;

/** Finds the indexed words within their allowed edits of a query word. */
export class TypoIndex<T> {
  private readonly byDeletion = new Map<string, number | number[]>();
  private readonly words: string[] = [];
  private readonly values: T[] = [];
  /**
   * The candidates of a query prefix (and edit budget), in lookup order: they depend on the
   * first PREFIX characters only, which many questions share ("pas a m", "matin a"), so the
   * deletions of a prefix are generated and looked up once. Cleared when a word is added.
   */
  private readonly candidates = new Map<string, readonly number[]>();

  /** Indexes `word` (at least 5 characters) with the value returned on a match. */
  add(word: string, value: T): void {
    const edits = maxEditsFor(word.length);
    if (edits === 0) return;
    this.candidates.clear();
    const id = this.words.length;
    this.words.push(word);
    this.values.push(value);
    const prefix = word.slice(0, PREFIX);
    this.put(prefix, id);
    for (let i = 0; i < prefix.length; i++) {
      const once = prefix.slice(0, i) + prefix.slice(i + 1);
      this.put(once, id);
      if (edits < 2) continue;
      for (let j = i; j < once.length; j++) this.put(once.slice(0, j) + once.slice(j + 1), id);
    }
  }

  private put(key: string, id: number): void {
    const list = this.byDeletion.get(key);
    if (list === undefined) this.byDeletion.set(key, id);
    else if (typeof list === 'number') {
      if (list !== id) this.byDeletion.set(key, [list, id]);
    } else if (list[list.length - 1] !== id) list.push(id);
  }

  /** Values whose word is within the edits allowed for both words, closest first. */
  lookup(query: string): { value: T; word: string; distance: number }[] {
    const max = maxEditsFor(query.length);
    if (max === 0) return [];
    const out: { value: T; word: string; distance: number }[] = [];
    for (const id of this.candidatesOf(query.slice(0, PREFIX), max)) {
      const word = this.words[id]!;
      const allowed = Math.min(max, maxEditsFor(word.length));
      const distance = boundedDistance(query, word, allowed);
      if (distance <= allowed && distance > 0) out.push({ value: this.values[id]!, word, distance });
    }
    return out.sort((a, b) => a.distance - b.distance);
  }

  /** Ids of the indexed words sharing a deletion with the prefix, each once, in deletion order. */
  private candidatesOf(prefix: string, max: number): readonly number[] {
    const key = `${max}|${prefix}`;
    const known = this.candidates.get(key);
    if (known) return known;
    const seen = new Set<number>();
    const ids: number[] = [];
    for (const d of deletions(prefix, max)) {
      const found = this.byDeletion.get(d);
      if (found === undefined) continue;
      for (const id of typeof found === 'number' ? [found] : found) {
        if (seen.has(id)) continue;
        seen.add(id);
        ids.push(id);
      }
    }
    if (this.candidates.size >= CANDIDATES_MAX) this.candidates.clear();
    this.candidates.set(key, ids);
    return ids;
  }
}
