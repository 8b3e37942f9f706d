/**
 * `vigie subscriptions add` with Discord ids typed by hand: a truncated id ("123") names no
 * channel, so it is refused before anything is written (a subscription to it would never be
 * delivered). Real SQLite file, runCli in-process (the code bin/vigie.js runs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runVigie } from '../helpers/cli.js';
import { openStore } from '../../src/store/index.js';
import { testClockEnv } from '../helpers/clock.js';
import { freshStoreUrl } from '../helpers/stores.js';

const vigie = (args: string[], env: NodeJS.ProcessEnv) => runVigie(args, { USER: 'rectorat', ...testClockEnv(), ...env });

test('GIVEN a Discord channel or guild id shorter than a snowflake (17 to 20 digits) THEN it is refused and nothing is written', async () => {
  const { url, cleanup } = await freshStoreUrl('sqlite');
  try {
    const env = { VIGIE_STORE_URL: url };
    const short = await vigie(['subscriptions', 'add', '--platform', 'discord', '--guild', '81384788765712384', '--channel', '123', '--service', 'ent', '--place', 'Occitanie'], env);
    assert.equal(short.code, 1, short.stdout);
    assert.match(short.stderr, /channel « 123 » n’est pas un identifiant discord/);
    const guild = await vigie(['subscriptions', 'add', '--platform', 'discord', '--guild', '42', '--channel', '81384788765712385', '--service', 'ent', '--place', 'Occitanie'], env);
    assert.equal(guild.code, 1, guild.stdout);
    assert.match(guild.stderr, /« 42 » n’est pas un identifiant discord/);
    const good = await vigie(['subscriptions', 'add', '--platform', 'discord', '--guild', '81384788765712384', '--channel', '81384788765712385', '--service', 'ent', '--place', 'Occitanie'], env);
    assert.equal(good.code, 0, good.stderr);
    const store = await openStore(url);
    try {
      assert.deepEqual((await store.subscriptions.listAll()).map((s) => s.channel), ['81384788765712385']);
    } finally {
      await store.close();
    }
  } finally {
    await cleanup();
  }
});
