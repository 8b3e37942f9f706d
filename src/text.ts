/**
 * Text helpers every layer shares, with no dependency of their own: cutting to a platform's
 * limit without breaking a character apart.
 */

const graphemes = new Intl.Segmenter('fr', { granularity: 'grapheme' });

/**
 * `text` cut to at most `max` UTF-16 units (the unit Slack and Discord limits are safe in),
 * on a grapheme boundary, so no emoji, accent or flag is split and no lone surrogate is
 * left; the cut ends with `ellipsis` (counted in `max`). Text that fits is returned as is.
 */
export function cutText(text: string, max: number, ellipsis = '…'): string {
  if (text.length <= max) return text;
  const room = max - ellipsis.length;
  if (room <= 0) return ellipsis.slice(0, Math.max(0, max));
  let end = 0;
  // Only the start is segmented: boundaries depend on what comes before, and a cluster that
  // runs past the window ends past `room` anyway.
  for (const { index, segment } of graphemes.segment(text.slice(0, room + 64))) {
    if (index + segment.length > room) break;
    end = index + segment.length;
  }
  return `${text.slice(0, end).trimEnd()}${ellipsis}`;
}

/** True when `text` holds a lone surrogate (half an emoji), which platforms refuse or mangle. */
export function hasLoneSurrogate(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}
