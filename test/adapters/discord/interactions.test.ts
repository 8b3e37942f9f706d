/**
 * Every interaction gets an answer, sent through the fake gateway as raw payloads: unknown
 * interaction, command and component types, unknown commands, buttons and modals, an
 * autocomplete without a focused option, payloads missing `data` or `message`. Answers are
 * direct replies when ready, a deferral then an edit when not. Logs never hold an interaction
 * token, a webhook URL or a person's words.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../../src/index.js';
import { autocomplete, button, command, interaction, modalSubmit, snowflake, user } from '../../fakes/discord/payloads.js';
import { holdAsks, startHarness, type Harness } from './harness.js';
import type { Deadline } from '../../../adapters/discord/handlers/respond.js';

type Callback = { type?: number; data?: { flags?: number; content?: string; choices?: unknown[] } };
const EPHEMERAL = 64;

describe('Discord: every interaction is answered', () => {
  let h: Harness;
  const logs: string[] = [];
  before(async () => {
    const stream = new Writable({
      write(chunk, _enc, done) {
        logs.push(String(chunk));
        done();
      },
    });
    h = await startHarness({ logger: createLogger({ level: 'debug', stream }) });
  });
  after(async () => {
    await h.close();
  });

  const callbackOf = async (payload: Record<string, unknown>) => (await h.fake.callback(h.fake.interact(payload) as { id: string })).body as Callback;
  const expired = (cb: Callback, label: string) => {
    assert.equal(cb.type, 4, label);
    assert.equal(cb.data?.flags, EPHEMERAL, label);
    assert.match(cb.data?.content ?? '', /a expiré.*\/statut/, label);
  };

  test('GIVEN interactions Vigie has no handler for THEN each gets a private “this action has expired”', async () => {
    const w = h.fake.world;
    expired(await callbackOf(command(w, 'commande-retiree')), 'unknown command');
    expired(await callbackOf(interaction(w, 2, { id: snowflake(), name: 'Signaler ce message', type: 3, target_id: snowflake(), resolved: {} })), 'message context menu');
    expired(await callbackOf(interaction(w, 2, { id: snowflake(), name: 'status', type: 99 })), 'unknown command type');
    expired(await callbackOf(button(w, 'ancien-bouton:42')), 'unknown button');
    expired(await callbackOf(interaction(w, 3, { custom_id: 'menu', component_type: 3, values: ['a'] }, {}, { message: { id: snowflake(), channel_id: w.channelId, author: w.botUser, content: '', timestamp: '2020-03-17T09:00:00.000Z', edited_timestamp: null, tts: false, mention_everyone: false, mentions: [], mention_roles: [], attachments: [], embeds: [], components: [], pinned: false, type: 0, flags: 0 } })), 'select menu');
    expired(await callbackOf(interaction(w, 3, { custom_id: 'x', component_type: 99 }, {}, { message: {} })), 'unknown component type');
    expired(await callbackOf(modalSubmit(w, 'ancien-formulaire', { text: 'x' })), 'unknown modal');
    expired(await callbackOf(interaction(w, 99, { name: 'x' })), 'unknown interaction type');
  });

  test('GIVEN an autocomplete without a focused option, or for an option Vigie does not suggest THEN an empty list comes back', async () => {
    const w = h.fake.world;
    const noFocus = await callbackOf(autocomplete(w, 'status', { place: 'toul' }, 'nothing-focused'));
    assert.deepEqual(noFocus, { type: 8, data: { choices: [] } });
    const other = await callbackOf(autocomplete(w, 'status', { question: 'x' }, 'question'));
    assert.deepEqual(other, { type: 8, data: { choices: [] } });
  });

  test('GIVEN payloads missing data or message THEN discord.js cannot build them and Vigie still answers', async () => {
    const w = h.fake.world;
    expired(await callbackOf(interaction(w, 2, undefined)), 'command without data');
    expired(await callbackOf(interaction(w, 3, undefined)), 'component without data');
    expired(await callbackOf(interaction(w, 3, { custom_id: 'vigie:report:x', component_type: 2 })), 'button without message');
    expired(await callbackOf(interaction(w, 5, undefined)), 'modal without data');
    assert.deepEqual(await callbackOf(interaction(w, 4, undefined)), { type: 8, data: { choices: [] } });
    // The bot is still up and answering.
    const ok = await callbackOf(command(w, 'status', { service: 'cned' }));
    assert.equal(ok.type, 4);
  });

  test('GIVEN a report form submitted without its text field THEN the person gets the apology, not silence', async () => {
    const cb = await callbackOf(modalSubmit(h.fake.world, 'vigie:report-modal', {}));
    assert.equal(cb.type, 4);
    assert.equal(cb.data?.flags, EPHEMERAL);
  });

  test('GIVEN all of that THEN no log line holds an interaction token, a webhook URL or a person’s words', async () => {
    const secretWords = 'ma fille Léa au collège Jean Moulin de Nîmes';
    const i = h.fake.interact(command(h.fake.world, 'status', { question: secretWords }, { user: user('parent') }));
    await h.fake.answer(i);
    // A failure whose error message carries a token-bearing URL (as network errors do).
    const bot = h.runtime.bot;
    const original = bot.listSubscriptions;
    const j = command(h.fake.world, 'subscriptions', {});
    bot.listSubscriptions = async () => {
      throw new Error(`request to ${h.fake.apiUrl}/v10/webhooks/${h.fake.world.appId}/${String(j.token)}/messages/@original failed`);
    };
    try {
      await h.fake.answer(h.fake.interact(j));
    } finally {
      bot.listSubscriptions = original;
    }
    const tokens = h.fake.requests.map((r) => /\/interactions\/\d+\/([^/]+)\/callback$/.exec(r.path)?.[1]).filter((t): t is string => Boolean(t));
    assert.ok(tokens.length > 10);
    assert.ok(logs.length > 0, 'the adapter logged something');
    const all = logs.join('');
    for (const token of tokens) assert.ok(!all.includes(token), `a token is in the logs: ${all.slice(0, 500)}`);
    assert.doesNotMatch(all, /\/webhooks\/\d+\/[A-Za-z0-9_]/);
    assert.ok(!all.includes(secretWords));
  });
});

describe('Discord: answers that are not ready in time', () => {
  let h: Harness;
  let fire: () => void = () => undefined;
  before(async () => {
    const deadline = (): Deadline => ({ promise: new Promise<void>((resolve) => (fire = resolve)), cancel() {} });
    h = await startHarness({ deadline });
  });
  after(async () => {
    await h.close();
  });

  test('GIVEN the answer is still being built when the deadline passes THEN Vigie defers, then edits the reply with the answer', async () => {
    const { asked, release, restore } = holdAsks(h.runtime);
    try {
      const i = h.fake.interact(command(h.fake.world, 'status', { service: 'cned' }));
      await asked;
      fire();
      const callback = (await h.fake.callback(i)).body as Callback;
      assert.equal(callback.type, 5, 'deferred');
      release();
      const edit = (await h.fake.original(i)).body as { embeds?: { title: string }[] };
      assert.match(edit.embeds![0]!.title, /CNED/);
    } finally {
      restore();
    }
  });
});
