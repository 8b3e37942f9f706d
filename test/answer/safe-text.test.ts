import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { neutralizeMentions } from '../../src/answer/safe-text.js';

const ZW = '\u200b';

describe('neutralizeMentions', () => {
  const cases: [string, string][] = [
    ['@everyone', `@${ZW}everyone`],
    ['hi @here now', `hi @${ZW}here now`],
    ['@Channel', `@${ZW}Channel`],
    ['<!channel>', `<${ZW}!channel>`],
    ['<!here> and <!everyone>', `<${ZW}!here> and <${ZW}!everyone>`],
    ['<!subteam^S123>', `<${ZW}!subteam^S123>`],
    ['<@U123>', `<${ZW}@U123>`],
    ['<@!123456>', `<${ZW}@!123456>`],
    ['<@&987>', `<${ZW}@&987>`],
    ['<#C1>', `<${ZW}#C1>`],
    ['＠everyone', `＠${ZW}everyone`],
  ];
  for (const [input, expected] of cases) {
    test(`GIVEN ${JSON.stringify(input)} THEN the mention is defused`, () => {
      assert.equal(neutralizeMentions(input), expected);
    });
  }

  test('GIVEN ordinary text, an e-mail address and a comparison THEN it is unchanged', () => {
    for (const text of ["L'ENT est en panne à 8 h 15.", 'contact@ac-lille.fr', 'a < b', '@herault', '@everyones']) {
      assert.equal(neutralizeMentions(text), text);
    }
  });

  test('GIVEN an already defused text THEN defusing again changes nothing', () => {
    const once = neutralizeMentions('@everyone <@U1> <!here>');
    assert.equal(neutralizeMentions(once), once);
  });
});
