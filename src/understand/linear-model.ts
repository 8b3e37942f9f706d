/**
 * A linear classifier over hashed word and character n-grams (multinomial logistic
 * regression), as fastText and Vowpal Wabbit do it: what reads intents and languages.
 *
 * The words it sees are the understander's folded words with names masked: a service name
 * becomes `§s`, a place name `§p`, a number `§n`, so "l'ENT à Nîmes ?" and "Pronote à Lille ?"
 * teach the same thing and a model trained on a few thousand messages generalises to places
 * and services it never saw. Features are hashed into a fixed number of buckets (FNV-1a), so
 * the model is a dense matrix of small integers that loads in a millisecond, and a question
 * costs one pass over its words.
 *
 * Training lives in intent-training.ts (`npm run train`); the trained models are
 * src/understand/models.json, a versioned file checked by test/understand/models.test.ts to
 * be exactly what the corpus trains.
 */

import { inflateRawSync } from 'node:zlib';
import { oncePer } from '../base/once-per.js';

/** Placeholders for masked words. */
export const MASK = { service: '§s', place: '§p', number: '§n' } as const;

/** A model as saved: weights quantised to signed bytes (base64), times `scale`. */
export interface LinearModelFile {
  classes: string[];
  /** Number of hash buckets (a power of two). */
  buckets: number;
  /** Per-class bias, unquantised. */
  bias: number[];
  /** Multiply a stored weight by this to get the trained one. */
  scale: number;
  /** buckets × classes signed bytes, bucket-major, base64 (deflated first when `deflated`). */
  weights: string;
  /** The bytes were compressed (raw deflate) before base64: about a third of the size. */
  deflated?: boolean;
}

/**
 * A model whose weights are all zero: every message gets the probabilities its biases give
 * (all equal by default). Reads words before any training; tests set a reader's certainty.
 */
export function zeroModel(classes: readonly string[], bias: readonly number[] = classes.map(() => 0)): LinearModelFile {
  return { classes: [...classes], buckets: 2, bias: [...bias], scale: 1, weights: Buffer.alloc(2 * classes.length).toString('base64') };
}

/** The words of a message as a model sees them (folded, names masked), and the raw text. */
export interface ModelInput {
  words: readonly string[];
  text: string;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a of a string, continuing from `h`. */
function fnv(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}

const WORD = fnv(FNV_OFFSET, 'w|');
const BIGRAM = fnv(FNV_OFFSET, 'b|');
const GRAM = fnv(FNV_OFFSET, 'c|');
const CUE = fnv(FNV_OFFSET, 'x|');
const FIRST = fnv(FNV_OFFSET, 'f|');
const LAST = fnv(FNV_OFFSET, 'l|');
const LAST2 = fnv(FNV_OFFSET, 'm|');
const START = '^';
const END = '$';
/** Character n-gram lengths, within a word padded with < and > (chosen by cross-validation on the training split). */
const GRAM_MIN = 4;
const GRAM_MAX = 5;
const EMOJI = /\p{Extended_Pictographic}/u;
const LETTER_UPPER = /\p{Lu}/u;
const LETTER_LOWER = /\p{Ll}/u;

/**
 * The hashed features of a message (bucket indices, possibly repeated), appended to `out`.
 * Words, word pairs (with start and end marks), the first and the last two words, character
 * 4- and 5-grams of each unmasked word, and a few cues of the raw text: a question mark (and where), an exclamation mark,
 * an emoji, all capitals, the number of words.
 */
export function featuresOf(input: ModelInput, buckets: number, out: number[]): number[] {
  const mask = buckets - 1;
  const words = input.words;
  let prev = START;
  for (const w of words) {
    out.push(fnv(WORD, w) & mask);
    out.push(fnv(fnv(fnv(BIGRAM, prev), ' '), w) & mask);
    prev = w;
    if (w.charCodeAt(0) === 0xa7 /* § */) continue;
    const padded = `<${w}>`;
    for (let n = GRAM_MIN; n <= GRAM_MAX; n++) {
      if (padded.length < n) break;
      for (let i = 0; i + n <= padded.length; i++) {
        let h = GRAM;
        for (let j = i; j < i + n; j++) {
          h ^= padded.charCodeAt(j);
          h = Math.imul(h, FNV_PRIME);
        }
        out.push((h >>> 0) & mask);
      }
    }
  }
  out.push(fnv(fnv(fnv(BIGRAM, prev), ' '), END) & mask);
  // Where a word stands: the first word and the last two ("ça revient quand", "on fait comment").
  if (words.length > 0) {
    out.push(fnv(FIRST, words[0]!) & mask);
    out.push(fnv(LAST, words[words.length - 1]!) & mask);
    if (words.length > 1) out.push(fnv(LAST2, words[words.length - 2]!) & mask);
  }
  const text = input.text;
  const cue = (name: string) => out.push(fnv(CUE, name) & mask);
  const trimmed = text.trimEnd();
  if (text.includes('?')) cue(trimmed.endsWith('?') ? 'ends?' : 'has?');
  if (text.includes('!')) cue('!');
  if (EMOJI.test(text)) cue('emoji');
  if (LETTER_UPPER.test(text) && !LETTER_LOWER.test(text)) cue('caps');
  const n = words.length;
  cue(n <= 1 ? 'len1' : n === 2 ? 'len2' : n <= 4 ? 'len4' : n <= 8 ? 'len8' : n <= 16 ? 'len16' : 'lenmore');
  return out;
}

/** A class and its probability. */
export interface Scored {
  label: string;
  p: number;
}

/**
 * Each model file's weights, decoded once per process: every bot (and every test bot) reads
 * the same shipped models, and inflating them took about 4 ms per bot. The weights are only
 * ever read.
 */
const weightsOf = oncePer((file: LinearModelFile): Int8Array => {
  const stored = Buffer.from(file.weights, 'base64');
  const bytes = file.deflated ? inflateRawSync(stored) : stored;
  if (bytes.length !== file.buckets * file.classes.length) throw new Error('model weights do not match its shape');
  return new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
});

/** A trained model, ready to read. */
export class LinearModel {
  readonly classes: readonly string[];
  readonly buckets: number;
  private readonly weights: Int8Array;
  private readonly bias: Float64Array;
  private readonly scale: number;
  private readonly scores: Float64Array;
  private readonly feats: number[] = [];

  constructor(file: LinearModelFile) {
    this.classes = file.classes;
    this.buckets = file.buckets;
    this.weights = weightsOf(file);
    this.bias = Float64Array.from(file.bias);
    this.scale = file.scale;
    this.scores = new Float64Array(file.classes.length);
  }

  /** Every class with its probability, most likely first. */
  classify(input: ModelInput): Scored[] {
    const k = this.classes.length;
    const scores = this.scores;
    const feats = this.feats;
    feats.length = 0;
    featuresOf(input, this.buckets, feats);
    scores.fill(0);
    const w = this.weights;
    for (const f of feats) {
      const base = f * k;
      for (let c = 0; c < k; c++) scores[c] = scores[c]! + w[base + c]!;
    }
    let max = -Infinity;
    for (let c = 0; c < k; c++) {
      scores[c] = scores[c]! * this.scale + this.bias[c]!;
      if (scores[c]! > max) max = scores[c]!;
    }
    let sum = 0;
    for (let c = 0; c < k; c++) {
      scores[c] = Math.exp(scores[c]! - max);
      sum += scores[c]!;
    }
    const out: Scored[] = [];
    for (let c = 0; c < k; c++) out.push({ label: this.classes[c]!, p: scores[c]! / sum });
    return out.sort((a, b) => b.p - a.p || (a.label < b.label ? -1 : 1));
  }
}
