import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSlackTransport } from '../../../adapters/slack/index.js';
import { adminForm, errorsByBlock, incidentOption, noticeView, previewView } from '../../../adapters/slack/admin-form.js';
import { progressMessage } from '../../../adapters/slack/admin-notify.js';
import { homeView } from '../../../adapters/slack/home.js';
import { LIMITS, renderNotice, renderReply } from '../../../adapters/slack/render.js';
import { loadCheckedScenario, type Actor, type Delivery, type Reply } from '../../../src/index.js';
import { withStoreBot } from '../../helpers/bot.js';
import { startRig, type Rig } from '../../fakes/slack/harness.js';
import { appMention, buttonClick, slashCommand } from '../../fakes/slack/payloads.js';
import { FakeSlackApi, FAKE_TEAM } from '../../fakes/slack/web-api.js';
import { ALL_INJECTIONS, assertInert, assertShown, INJECTIONS } from './inert.js';
import { sharedReference } from '../../helpers/reference.js';
import { sharedTemplates } from '../../helpers/templates.js';

const reference = sharedReference();
const admin: Actor = { platform: 'slack', workspace: FAKE_TEAM.id, user: 'UADMIN', name: 'Rectorat' };
const VALID = 'https://www.ac-toulouse.fr/';

function reply(inject: string, url = VALID): Reply {
  return {
    kind: 'incidents',
    language: 'fr',
    headline: `ENT ${inject}`,
    status: 'major_outage',
    sections: [
      { key: 'update', title: `Titre ${inject}`, text: `Texte ${inject}` },
      { key: 'subscription_list', title: `Liste ${inject}`, text: `• ${inject}\n• ENT — ${inject}` },
    ],
    source: { name: `Source ${inject}`, url, at: '2020-03-17T08:00:00.000Z' },
    time: '2020-03-17T09:00:00.000Z',
    actions: [
      { id: 'suggestion', label: `Suggestion ${inject}`, value: `question ${inject}` },
      { id: 'report', label: `Signaler ${inject}`, value: inject },
    ],
    incidents: ['x'],
    demo: { scenario: 's', label: `Démo ${inject}` },
  };
}

/** Admin form input with `inject` in every free-text field. */
function adminInput(inject: string, action: 'open' | 'update' = 'open', id?: string): Record<string, unknown> {
  return {
    action,
    ...(id ? { id } : { service: 'ent', places: 'Occitanie' }),
    status: 'major_outage',
    phase: 'identified',
    cause: 'overload',
    // Titles and the source's name are short fields: as much of the injection as fits.
    titleFr: `ENT ${inject}`.slice(0, 200),
    titleEn: `ENT ${inject}`.slice(0, 200),
    textFr: `Information ${inject}`,
    textEn: `Update ${inject}`,
    recoveryFr: `Retour ${inject}`,
    recoveryEn: `Back ${inject}`,
    adviceFr: `Conseil ${inject}`,
    adviceEn: `Advice ${inject}`,
    sourceName: `Rectorat ${inject}`.slice(0, 120),
    sourceUrl: VALID,
  };
}

describe('Slack: text from people and admins is inert everywhere it is echoed', () => {
  test('GIVEN each injection in every field of an answer THEN the blocks, the fallback and the button values cannot ping, link, quote or fence, and still show it', () => {
    for (const inject of [...INJECTIONS, ALL_INJECTIONS]) {
      const rendered = renderReply(sharedTemplates(), reply(inject), { share: `ent ${inject}` });
      assertInert(rendered, [VALID], JSON.stringify(inject));
      assert.ok(rendered.blocks.length <= LIMITS.blocks);
    }
    assertShown(renderReply(sharedTemplates(), reply(ALL_INJECTIONS)));
    assertInert(renderReply(sharedTemplates(), reply(ALL_INJECTIONS, 'javascript:alert(1)')), [], 'a source URL that is not http(s)');
    assertInert(renderReply(sharedTemplates(), reply(ALL_INJECTIONS, 'https://evil.example|ENT officiel')), [], 'a source URL with markup');
    assertInert(renderNotice(`Avis ${ALL_INJECTIONS}`), [], 'notice');
  });

  test('GIVEN texts far over Slack’s limits, made of emoji THEN every cut falls between characters and within the limits', () => {
    const emoji = '👩🏽‍🏫🇫🇷'.repeat(800);
    const rendered = renderReply(sharedTemplates(), { ...reply(emoji), sections: Array.from({ length: 60 }, (_, i) => ({ key: `k${i}`, title: emoji, text: emoji })) }, { share: emoji });
    assertInert(rendered, [VALID], 'emoji');
    type Shown = { type: string; text?: { text: string }; elements?: { text?: string | { text: string }; value?: string }[] };
    for (const b of rendered.blocks as Shown[]) {
      if (b.type === 'header') assert.ok(b.text!.text.length <= LIMITS.header);
      if (b.type === 'section') assert.ok(b.text!.text.length <= LIMITS.section);
      for (const e of b.elements ?? []) {
        if (typeof e.text === 'string') assert.ok(e.text.length <= LIMITS.section, 'context');
        else if (e.text) assert.ok(e.text.text.length <= LIMITS.buttonText, 'button text');
        if (e.value !== undefined) assert.ok(e.value.length <= LIMITS.buttonValue, 'button value');
      }
    }
    assert.ok(rendered.blocks.length <= LIMITS.blocks);
    assert.ok(rendered.text.length <= LIMITS.text);
  });

  test('GIVEN an admin writes the injections in every field of the incident form THEN the preview, the prefilled form, the picker, errors, Home and the notice sent to channels are inert', () =>
    withStoreBot(async (bot, _clock, runtime) => {
      for (const inject of [...INJECTIONS, ALL_INJECTIONS]) {
        const preview = await bot.previewIncident(adminInput(inject), admin, 'fr');
        assert.ok(preview.ok, JSON.stringify(!preview.ok && preview.errors));
        assertInert(previewView(bot.templates, preview.reply, 'p1', 'fr'), [VALID], `preview ${JSON.stringify(inject)}`);
      }
      const applied = await bot.applyIncident(adminInput(ALL_INJECTIONS), admin, 'fr');
      assert.ok(applied.ok, JSON.stringify(!applied.ok && applied.errors));
      assertShown(previewView(bot.templates, applied.reply, 'p2', 'fr'), 'preview');
      const incident = applied.incident;
      assertInert(adminForm(bot, { language: 'fr', revision: 1 }, incident), [], 'prefilled form');
      assertInert({ options: [incidentOption(incident, 'fr'), incidentOption(incident, 'en')] }, [], 'picker');
      assertInert({ errors: errorsByBlock([`lieu inconnu : ${ALL_INJECTIONS}`], { places: {} }) }, [], 'errors');
      assertInert(noticeView(bot.templates, `Erreur ${ALL_INJECTIONS}`, 'fr'), [], 'notice view');
      for (const language of ['fr', 'en'] as const) {
        const home = await homeView(bot, FAKE_TEAM.id, language);
        assertInert(home, [], `home ${language}`);
        assert.match(JSON.stringify(home), /ENT officiel/);
      }

      const notice = await bot.previewNotice(
        { services: ['ent'], places: 'Occitanie', status: 'major_outage', title: { fr: `Titre ${ALL_INJECTIONS}`.slice(0, 200) }, text: { fr: `Avis ${ALL_INJECTIONS}`, en: `Notice ${ALL_INJECTIONS}` }, source: { name: `Rectorat ${ALL_INJECTIONS}`.slice(0, 120), url: VALID } },
        admin,
        'fr',
      );
      assert.ok(notice.ok, JSON.stringify(!notice.ok && notice.errors));
      const api = await FakeSlackApi.start();
      try {
        const transport = createSlackTransport({ templates: bot.templates, config: { botToken: 'xoxb-test-token-1', apiUrl: api.url } });
        const sent = await transport.post(delivery(), notice.messages.root);
        assert.ok(sent.ok);
        await transport.reply(delivery(), '1.0', notice.messages.reply);
        for (const call of api.callsTo('chat.postMessage')) {
          assertInert({ text: call.args.text, blocks: call.args.blocks }, [VALID], 'notice delivery');
          assert.equal(call.args.link_names, 'false');
        }
        assertShown({ text: api.callsTo('chat.postMessage')[0]!.args.text }, 'notice delivery');
      } finally {
        await api.close();
      }
      const progress = progressMessage(bot.templates, 'fr', `Avis ${ALL_INJECTIONS}`, { total: 1, delivered: 0, failed: 1, pending: 0, failures: [{ platform: 'slack', workspace: 'T', channel: `C ${ALL_INJECTIONS}`, reason: ALL_INJECTIONS }] } as never, 'done', 'n1');
      assertInert(progress, [], 'progress');
      assert.ok(runtime.store);
    }));
});

describe('Slack: what people type, echoed back by the running adapter', () => {
  let rig: Rig;
  before(async () => {
    const scenario = loadCheckedScenario('2020-03-17', reference.content, reference.gazetteer);
    rig = await startRig({ mode: 'in-process', reference, scenario, subscribers: ['UPROF'], locales: { UPROF: 'fr-FR' } });
  });
  after(async () => {
    await rig.close();
  });

  test('GIVEN each injection in a /statut question, a mention, a subscription command and a button THEN every message Vigie sends is inert', async () => {
    for (const inject of [...INJECTIONS, ALL_INJECTIONS]) {
      const question = `ent ${inject} à Trifouillis`;
      const before = rig.api.calls.length;
      const urls = [rig.sink.url(), rig.sink.url(), rig.sink.url()];
      await rig.deliver('command', slashCommand({ text: question, user: 'UPROF', responseUrl: urls[0]! }));
      await rig.deliver('command', slashCommand({ text: `abonner ${inject}`, user: 'UPROF', responseUrl: urls[1]!, channel: 'CINJ' }));
      await rig.deliver('interactive', buttonClick({ actionId: 'vigie_suggestion_0', value: question, user: 'UPROF', responseUrl: urls[2]! }));
      await rig.deliver('event', appMention({ text: question, user: 'UPROF', channel: 'CINJECT' }));
      for (const url of urls) assertInert((await rig.sink.waitFor(url)).body, [], `${JSON.stringify(inject)} ${url}`);
      const posted = await rig.api.waitFor('chat.postMessage', (c) => c.args.channel === 'CINJECT', before);
      assertInert({ text: posted.args.text, blocks: posted.args.blocks }, [], `mention ${JSON.stringify(inject)}`);
    }
  });
});

let seq = 0;
function delivery(): Delivery {
  seq++;
  return {
    id: `n1.${seq}`,
    noticeId: 'n1',
    noticeSeq: 1,
    subscriptionIds: ['s1'],
    platform: 'slack',
    workspace: 'T1',
    channel: `C${seq}`,
    language: 'fr',
    incidentId: null,
    kind: 'post',
    state: 'pending',
    attempts: 0,
    lastError: null,
    failingSince: null,
    nextAttemptAt: '2020-03-17T09:00:00.000Z',
    deadlineAt: '2020-03-18T09:00:00.000Z',
    edited: false,
    messageRef: null,
    rootRef: null,
    createdAt: '2020-03-17T09:00:00.000Z',
    updatedAt: '2020-03-17T09:00:00.000Z',
    deliveredAt: null,
  };
}
