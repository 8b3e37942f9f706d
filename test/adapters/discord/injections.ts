/**
 * Text people and admins could write to make a Vigie message ping, link or look official:
 * Slack and Discord mention syntax, masked links, markdown blocks and inline constructs.
 */
export const INJECTIONS: readonly string[] = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<@U123>',
  '<#C123>',
  '<!subteam^S1>',
  '<https://evil.example|ENT officiel>',
  '@everyone',
  '@here',
  '<@&123>',
  '<@123>',
  '<@!123456789012345678>',
  '[ENT](https://evil.example)',
  '[ENT](<https://evil.example>)',
  '\\[ENT](https://evil.example)',
  '@\u200beveryone',
  '＠everyone',
  '# titre',
  '## sous-titre',
  '> cite',
  '>>> bloc cité',
  '-# petit',
  '- liste',
  '* liste',
  '1. liste',
  '```js\nalert(1)\n```',
  '`code`',
  '||spoiler||',
  '**gras** __souligné__ ~~barré~~ *italique*',
  '<t:0>',
  '<t:0:R>',
  '<:ent:123456789012345678>',
  '<a:ent:123456789012345678>',
  '</statut:123456789012345678>',
  'https://ent.example@evil.example/connexion',
  'http://evil.example/',
  'steam://evil',
  'texte\n# titre\n> cite\n-# petit\n- item\n1. item',
  '\u202eelpmaxe.live//:sptth',
];

/** All of them in one text, one a line. */
export const ALL_INJECTIONS = INJECTIONS.join('\n');
