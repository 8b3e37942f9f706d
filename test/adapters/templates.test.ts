import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadContent } from '../../src/content/load.js';
import { SLACK_TEMPLATE_KEYS } from '../../adapters/slack/templates.js';
import { DISCORD_TEMPLATE_KEYS } from '../../adapters/discord/base/templates.js';

test('GIVEN the Slack and Discord adapters THEN every word they use is in content/messages in French and English', () => {
  const { messages } = loadContent();
  const keys = [...SLACK_TEMPLATE_KEYS, ...DISCORD_TEMPLATE_KEYS];
  assert.ok(keys.length > 50);
  for (const key of keys) {
    assert.ok(key in messages.fr, `fr.yaml lacks ${key}`);
    assert.ok(key in messages.en, `en.yaml lacks ${key}`);
  }
});
