/**
 * The delivery marker: a hidden, stable tag of a delivery id in the embed footer of every
 * notice message Vigie posts, so the transport can find a message whose send had an unknown
 * outcome in the channel's history, long after Discord's nonce window (Discord never returns
 * nonces when listing messages). It is 33 zero-width characters (a separator, then 64 bits of
 * the id's SHA-256 in base 4), which Discord keeps and no client shows or reads aloud; it sits
 * inside the footer text, not at an edge, so no trimming can drop it.
 */
import { createHash } from 'node:crypto';
import type { APIEmbed } from 'discord.js';

/** U+2063 INVISIBLE SEPARATOR: where a marker starts. */
const START = '\u2063';
/** Base-4 digits: zero-width space, non-joiner, joiner, word joiner. */
const DIGITS = ['\u200b', '\u200c', '\u200d', '\u2060'] as const;

/** The marker of a delivery id. */
export function markerOf(deliveryId: string): string {
  const bytes = createHash('sha256').update(deliveryId).digest().subarray(0, 8);
  let out = START;
  for (const byte of bytes) for (let shift = 6; shift >= 0; shift -= 2) out += DIGITS[(byte >> shift) & 3];
  return out;
}

/** The embed with the delivery's marker in its footer (before the time, after the source). */
export function withMarker(embed: APIEmbed, deliveryId: string): APIEmbed {
  const marker = markerOf(deliveryId);
  const text = embed.footer?.text ?? '';
  const cut = text.lastIndexOf(' · ');
  const marked = cut > 0 ? `${text.slice(0, cut)}${marker}${text.slice(cut)}` : `${text || 'Vigie'}${marker}`;
  return { ...embed, footer: { ...embed.footer, text: marked } };
}

/** Whether a message as Discord lists it carries the delivery's marker. */
export function hasMarker(message: { embeds?: readonly { footer?: { text?: string } }[] }, deliveryId: string): boolean {
  const marker = markerOf(deliveryId);
  return (message.embeds ?? []).some((e) => e.footer?.text?.includes(marker) === true);
}
