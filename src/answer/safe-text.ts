/**
 * Defuses mass and targeted mentions before text reaches a chat platform, so neither a
 * person's words echoed back nor a content file can ping a whole channel.
 */

const ZWSP = '\u200b';
// Slack/Discord markup mentions: <@U123>, <@!123>, <@&123>, <#C1>, <!here>, <!subteam^S1>...
const MARKUP_MENTION = /<(?=[@#!])/g;
// Plain-text mass mentions (Discord pings on these; Slack on some clients).
const MASS_MENTION = /([@＠])(everyone|here|channel|all)\b/giu;
const QUICK = /[<@＠]/;

/** The same text with every mention made inert by a zero-width space; idempotent. */
export function neutralizeMentions(text: string): string {
  if (!QUICK.test(text)) return text;
  return text.replace(MARKUP_MENTION, `<${ZWSP}`).replace(MASS_MENTION, `$1${ZWSP}$2`);
}
