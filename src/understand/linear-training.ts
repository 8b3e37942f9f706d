/**
 * Trains the linear models of linear-model.ts: multinomial logistic regression by AdaGrad
 * over the examples in a seeded order, with L2 regularisation, then weights quantised to
 * signed bytes. Deterministic: the same examples in the same order give the same bytes.
 * Used by `npm run train` and the tests, never when the bot runs.
 */
import { deflateRawSync } from 'node:zlib';
import { seededRandom } from '../base/prng.js';
import { featuresOf, type LinearModelFile, type ModelInput } from './linear-model.js';

/** One labelled example. */
export interface Example {
  input: ModelInput;
  label: string;
}

/** Training settings (defaults: what cross-validation on the training split chose). */
export interface TrainOptions {
  buckets?: number;
  epochs?: number;
  rate?: number;
  l2?: number;
  seed?: number;
}

export const TRAIN_DEFAULTS: Required<TrainOptions> = { buckets: 1 << 16, epochs: 25, rate: 0.02, l2: 1e-5, seed: 20_200_317 };

/** Trains a model over `classes` (their order is the file's). */
export function trainLinear(examples: readonly Example[], classes: readonly string[], options: TrainOptions = {}): LinearModelFile {
  const { buckets, epochs, rate, l2, seed } = { ...TRAIN_DEFAULTS, ...options };
  const k = classes.length;
  const index = new Map(classes.map((c, i) => [c, i]));
  const data = examples.map((e) => {
    const y = index.get(e.label);
    if (y === undefined) throw new Error(`unknown class ${e.label}`);
    return { feats: [...new Set(featuresOf(e.input, buckets, []))], y };
  });
  const w = new Float64Array(buckets * k);
  const g2 = new Float64Array(buckets * k);
  const bias = new Float64Array(k);
  const b2 = new Float64Array(k);
  const scores = new Float64Array(k);
  const order = data.map((_, i) => i);
  const random = seededRandom(seed);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const at of order) {
      const { feats, y } = data[at]!;
      let max = -Infinity;
      for (let c = 0; c < k; c++) {
        let s = bias[c]!;
        for (const f of feats) s += w[f * k + c]!;
        scores[c] = s;
        if (s > max) max = s;
      }
      let sum = 0;
      for (let c = 0; c < k; c++) {
        scores[c] = Math.exp(scores[c]! - max);
        sum += scores[c]!;
      }
      for (let c = 0; c < k; c++) {
        const g = scores[c]! / sum - (c === y ? 1 : 0);
        b2[c] = b2[c]! + g * g;
        bias[c] = bias[c]! - (rate * g) / Math.sqrt(b2[c]! + 1e-8);
        for (const f of feats) {
          const at = f * k + c;
          const gw = g + l2 * w[at]!;
          g2[at] = g2[at]! + gw * gw;
          w[at] = w[at]! - (rate * gw) / Math.sqrt(g2[at]! + 1e-8);
        }
      }
    }
  }
  let peak = 0;
  for (const v of w) peak = Math.max(peak, Math.abs(v));
  const scale = peak > 0 ? peak / 127 : 1;
  const bytes = new Int8Array(buckets * k);
  for (let i = 0; i < w.length; i++) bytes[i] = Math.round(w[i]! / scale);
  return {
    classes: [...classes],
    buckets,
    bias: Array.from(bias, (b) => Number(b.toPrecision(8))),
    scale: Number(scale.toPrecision(8)),
    weights: deflateRawSync(Buffer.from(bytes.buffer), { level: 9 }).toString('base64'),
    deflated: true,
  };
}
