import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSlackConfig } from '../../../adapters/slack/config.js';
import { ConfigError } from '../../../src/index.js';

const BOT = 'xoxb-123-456-abcdefsecret';
const APP = 'xapp-1-A1-789-ghijklsecret';
const SIGNING = '0123456789abcdef0123456789abcdef';

describe('Slack configuration', () => {
  test('GIVEN no SLACK_BOT_TOKEN (or an empty one) THEN Slack is off', () => {
    assert.equal(parseSlackConfig({}), null);
    assert.equal(parseSlackConfig({ SLACK_BOT_TOKEN: '', SLACK_APP_TOKEN: APP }), null);
  });

  test('GIVEN bot and app tokens THEN Socket Mode, with admins and API URL read', () => {
    const config = parseSlackConfig({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP, VIGIE_SLACK_ADMINS: 'U012AB, W0ADMIN', SLACK_API_URL: 'http://127.0.0.1:9/api' });
    assert.deepEqual(config, { mode: 'socket', botToken: BOT, appToken: APP, admins: ['U012AB', 'W0ADMIN'], subscribers: [], apiUrl: 'http://127.0.0.1:9/api/' });
  });

  test('GIVEN a signing secret and PORT THEN HTTP mode, even with an app token', () => {
    const config = parseSlackConfig({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP, SLACK_SIGNING_SECRET: SIGNING, PORT: '3000' });
    assert.equal(config?.mode, 'http');
    assert.equal(config?.mode === 'http' ? config.port : null, 3000);
  });

  test('GIVEN a bot token without app token nor signing secret THEN the error names SLACK_APP_TOKEN', () => {
    assert.throws(() => parseSlackConfig({ SLACK_BOT_TOKEN: BOT }), (e: unknown) => e instanceof ConfigError && e.variable === 'SLACK_APP_TOKEN');
  });

  test('GIVEN a malformed token THEN the error names the variable and never prints the value', () => {
    const wrong = 'xoxp-user-token-verysecretvalue';
    assert.throws(
      () => parseSlackConfig({ SLACK_BOT_TOKEN: wrong, SLACK_APP_TOKEN: APP }),
      (e: unknown) => e instanceof ConfigError && e.variable === 'SLACK_BOT_TOKEN' && /xoxb-/.test(e.message) && !e.message.includes(wrong),
    );
  });

  test('GIVEN bad PORT, admins or API URL THEN each error names its variable', () => {
    const base = { SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP };
    for (const [variable, value] of [['PORT', 'eighty'], ['VIGIE_SLACK_ADMINS', 'alice,bob'], ['VIGIE_SLACK_SUBSCRIBERS', 'U012AB,@marie'], ['SLACK_API_URL', 'ftp://x']] as const) {
      assert.throws(() => parseSlackConfig({ ...base, SLACK_SIGNING_SECRET: SIGNING, [variable]: value }), (e: unknown) => e instanceof ConfigError && e.variable === variable);
    }
  });

  test('GIVEN VIGIE_SLACK_SUBSCRIBERS THEN its user ids are read like the admins', () => {
    const config = parseSlackConfig({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP, VIGIE_SLACK_SUBSCRIBERS: ' U0PROF1 ,W0PROF2  U0PROF3' });
    assert.deepEqual(config?.subscribers, ['U0PROF1', 'W0PROF2', 'U0PROF3']);
    assert.throws(
      () => parseSlackConfig({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP, VIGIE_SLACK_SUBSCRIBERS: 'U0PROF1,marie@school.fr' }),
      (e: unknown) => e instanceof ConfigError && e.variable === 'VIGIE_SLACK_SUBSCRIBERS' && /U012AB3CD/.test(e.message),
    );
  });
});
