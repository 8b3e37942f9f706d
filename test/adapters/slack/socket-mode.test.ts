import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCheckedScenario } from '../../../src/index.js';
import { SECRETS, startRig, type Rig } from '../../fakes/slack/harness.js';
import { appHomeOpened, appMention, buttonClick, directMessage, slashCommand } from '../../fakes/slack/payloads.js';
import { FAKE_TEAM, type ApiCall } from '../../fakes/slack/web-api.js';
import { sharedReference } from '../../helpers/reference.js';

const reference = sharedReference();
const scenario = loadCheckedScenario('2020-03-17', reference.content, reference.gazetteer);

type Blocks = { type: string; text?: { text: string }; elements?: { action_id?: string; value?: string; text?: unknown }[] }[];
const headerOf = (blocks: unknown) => (blocks as Blocks).find((b) => b.type === 'header')?.text?.text ?? '';
const buttonsOf = (blocks: unknown) => (blocks as Blocks).find((b) => b.type === 'actions')?.elements ?? [];

describe('Slack adapter over Socket Mode', () => {
  let rig: Rig;
  before(async () => {
    // UPROF may change subscriptions (VIGIE_SLACK_SUBSCRIBERS); who may not is in permissions.test.ts.
    rig = await startRig({ mode: 'socket', reference, scenario, locales: { UENGLISH: 'en-GB', UPROF: 'fr-FR' }, subscribers: ['UPROF'] });
  });
  after(async () => {
    await rig.close();
  });

  test('GIVEN startup THEN the bot token is checked with auth.test and Socket Mode opens with the app token', () => {
    assert.equal(rig.api.callsTo('auth.test')[0]?.token, SECRETS.bot);
    assert.equal(rig.api.callsTo('apps.connections.open')[0]?.token, SECRETS.app);
  });

  test('GIVEN /statut ent occitanie THEN the acked command gets an ephemeral first message (status, the fact, source and time) with more-details, post and follow buttons', async () => {
    const responseUrl = rig.sink.url();
    const ack = await rig.deliver('command', slashCommand({ text: 'ent occitanie', user: 'UPROF', responseUrl }));
    assert.equal(ack.status, 200);
    const { body } = await rig.sink.waitFor(responseUrl);
    assert.equal(body.response_type, 'ephemeral');
    assert.match(String(body.text), /ENT : panne partielle en Occitanie/);
    assert.match(headerOf(body.blocks), /^🟠 ENT/);
    const context = (body.blocks as Blocks).filter((b) => b.type === 'context').map((b) => JSON.stringify(b)).join(' ');
    assert.match(context, /Minist[èe]re de l'Éducation nationale/);
    assert.match(context, / · aujourd'hui/, "the source's time, in words (the communiqué of the day: no hour)");
    assert.ok(String(body.text).split('\n').length <= 5 && String(body.text).length <= 500, String(body.text));
    const buttons = buttonsOf(body.blocks);
    // "ent occitanie" is also the name of the région's ENT for lycées (content/services.yaml): the details are for it.
    assert.match(buttons.find((b) => b.action_id === 'vigie_more')?.value ?? '', /^vigie:choose:fr:status:ent:lycee:region:76$/);
    assert.equal(buttons.find((b) => b.action_id === 'vigie_share')?.value, 'ent occitanie');
    assert.equal(buttons.find((b) => b.action_id === 'vigie_subscribe')?.value, 'ent region:76');
    assert.ok(buttons.some((b) => b.action_id === 'vigie_report'));
  });

  test('GIVEN the "post to the channel" button THEN the bot posts the answer in the channel and the private copy says so', async () => {
    const responseUrl = rig.sink.url();
    const before = rig.api.calls.length;
    await rig.deliver('interactive', buttonClick({ actionId: 'vigie_share', value: 'ent occitanie', user: 'UPROF', responseUrl, channel: 'CCLASSE' }));
    const posted = await rig.api.waitFor('chat.postMessage', (c) => c.args.channel === 'CCLASSE', before);
    assert.match(headerOf(posted.args.blocks), /ENT : panne partielle en Occitanie/);
    assert.equal(posted.args.thread_ts, undefined);
    const { body } = await rig.sink.waitFor(responseUrl);
    assert.equal(body.replace_original, true);
    assert.match(String(body.text), /publiée dans le salon/);
  });

  test('GIVEN the "Plus de détails" button THEN the whole answer comes privately: since when, cause, the latest official words, advice', async () => {
    const responseUrl = rig.sink.url();
    await rig.deliver('interactive', buttonClick({ actionId: 'vigie_more', value: 'vigie:choose:fr:status:ent:*:region:76', user: 'UPROF', responseUrl, channel: 'CCLASSE' }));
    const { body } = await rig.sink.waitFor(responseUrl);
    assert.equal(body.response_type, 'ephemeral');
    const text = JSON.stringify(body.blocks);
    // No advice with the incident: the service's self-help, titled as Vigie's own tip.
    for (const title of ['Qui est concerné', 'Depuis quand', 'Cause', 'Dernière information officielle', 'Conseil de Vigie']) assert.ok(text.includes(`*${title}*`), title);
    assert.equal(buttonsOf(body.blocks).some((b) => b.action_id === 'vigie_more'), false, 'the details have no "more"');
  });

  test('GIVEN a mention in a channel THEN the answer is posted in a thread under the question', async () => {
    const before = rig.api.calls.length;
    const payload = appMention({ text: 'le CNED marche ce matin ?', user: 'UPROF', channel: 'CSALLEPROFS' });
    await rig.deliver('event', payload);
    const questionTs = (payload.event as { ts: string }).ts;
    const posted = await rig.api.waitFor('chat.postMessage', (c) => c.args.channel === 'CSALLEPROFS', before);
    assert.equal(posted.args.thread_ts, questionTs);
    assert.match(headerOf(posted.args.blocks), /CNED/);
    assert.equal(posted.token, SECRETS.bot);
  });

  test('GIVEN a direct message THEN it is answered in the conversation, in the language of the question', async () => {
    const before = rig.api.calls.length;
    await rig.deliver('event', directMessage({ text: 'Is the CNED down?', user: 'UPROF', channel: 'DPROF' }));
    const posted = await rig.api.waitFor('chat.postMessage', (c) => c.args.channel === 'DPROF', before);
    assert.equal(posted.args.thread_ts, undefined);
    assert.match(headerOf(posted.args.blocks), /CNED: partial outage/);
  });

  test("GIVEN a question without language cues from an English-speaking user THEN the answer follows the user's Slack locale", async () => {
    const responseUrl = rig.sink.url();
    await rig.deliver('command', slashCommand({ text: 'ent occitanie', user: 'UENGLISH', responseUrl }));
    const { body } = await rig.sink.waitFor(responseUrl);
    assert.match(headerOf(body.blocks), /ENT: partial outage in Occitanie/);
    assert.ok(rig.api.callsTo('users.info').some((c) => c.args.user === 'UENGLISH' && String(c.args.include_locale) === 'true'));
  });

  test('GIVEN /statut abonner, abonnements, désabonner THEN the channel subscription is stored, listed and removed', async () => {
    const where = { platform: 'slack' as const, workspace: FAKE_TEAM.id, channel: 'CSUB' };
    const url1 = rig.sink.url();
    await rig.deliver('command', slashCommand({ text: 'abonner ent occitanie', user: 'UPROF', responseUrl: url1, channel: 'CSUB' }));
    const created = await rig.sink.waitFor(url1);
    assert.equal(created.body.response_type, 'ephemeral');
    assert.match(String(created.body.text), /Abonnement enregistré/);
    const stored = await rig.runtime.store.subscriptions.list(where);
    assert.deepEqual(stored.map((s) => [s.service, s.place.name]), [['ent', 'Occitanie']]);

    const url2 = rig.sink.url();
    await rig.deliver('command', slashCommand({ text: 'abonnements', user: 'UPROF', responseUrl: url2, channel: 'CSUB' }));
    assert.match(String((await rig.sink.waitFor(url2)).body.text), /Occitanie/);

    const url3 = rig.sink.url();
    await rig.deliver('command', slashCommand({ text: 'désabonner ent occitanie', user: 'UPROF', responseUrl: url3, channel: 'CSUB' }));
    assert.match(String((await rig.sink.waitFor(url3)).body.text), /Abonnement retiré/);
    assert.deepEqual(await rig.runtime.store.subscriptions.list(where), []);
  });

  test('GIVEN the "follow updates" button THEN the channel is subscribed to that service and place, and the Home tab shows its incident', async () => {
    const responseUrl = rig.sink.url();
    await rig.deliver('interactive', buttonClick({ actionId: 'vigie_subscribe', value: 'ent region:76', user: 'UPROF', responseUrl, channel: 'CHOME' }));
    const { body } = await rig.sink.waitFor(responseUrl);
    assert.equal(body.response_type, 'ephemeral');
    const stored = await rig.runtime.store.subscriptions.list({ platform: 'slack', workspace: FAKE_TEAM.id, channel: 'CHOME' });
    assert.deepEqual(stored.map((s) => [s.service, s.place.kind, s.place.code]), [['ent', 'region', '76']]);

    const before = rig.api.calls.length;
    await rig.deliver('event', appHomeOpened('UPROF'));
    const published = await rig.api.waitFor('views.publish', (c) => c.args.user_id === 'UPROF', before);
    const home = JSON.stringify(published.args.view);
    assert.match(home, /ENT · Occitanie/);
    assert.match(home, /Panne partielle/);
    assert.match(home, /\/statut abonner/);
  });

  test('GIVEN "@everyone" and <!channel> in what people type THEN no message Vigie sends can ping anyone', async () => {
    const before = rig.api.calls.length;
    const responseUrl = rig.sink.url();
    const nasty = '<!channel> <!here> @everyone <@U0BOSS> <!subteam^S1|@profs> ent à Trifouillis';
    await rig.deliver('command', slashCommand({ text: nasty, user: 'UPROF', responseUrl }));
    await rig.deliver('event', appMention({ text: nasty, user: 'UPROF', channel: 'CNASTY' }));
    await rig.deliver('command', slashCommand({ text: `abonner ${nasty}`, user: 'UPROF', responseUrl: rig.sink.url() }));
    const { body } = await rig.sink.waitFor(responseUrl);
    const posted = await rig.api.waitFor('chat.postMessage', (c: ApiCall) => c.args.channel === 'CNASTY', before);
    assert.match(String(body.text), /Trifouillis/, 'the question is echoed, so the test is meaningful');
    for (const out of [JSON.stringify(body), JSON.stringify(posted.args)]) {
      assert.doesNotMatch(out, /<!(channel|here|everyone|subteam)/);
      assert.doesNotMatch(out, /<@U0BOSS>/);
      assert.doesNotMatch(out, /@(everyone|here|channel)\b/);
    }
  });

  test('GIVEN Slack rejects the answer THEN the person still gets an apology with a reference, and the log has it without tokens', async () => {
    const before = rig.api.calls.length;
    rig.api.failNext('chat.postMessage', 'invalid_blocks');
    await rig.deliver('event', appMention({ text: 'ent occitanie ?', user: 'UPROF', channel: 'CFAIL' }));
    await rig.api.waitFor('chat.postMessage', (c) => c.args.channel === 'CFAIL', before);
    const apology = await rig.api.waitFor('chat.postMessage', (c) => c.args.channel === 'CFAIL' && /référence/i.test(String(c.args.text)), before);
    const ref = /référence ([0-9a-f]{8})/i.exec(String(apology.args.text))?.[1];
    assert.ok(ref, 'a reference id in the apology');
    const logs = rig.logs.join('');
    assert.match(logs, new RegExp(`mention failed.*${ref}`));
    assert.ok(!logs.includes(SECRETS.bot) && !logs.includes(SECRETS.app), 'no token in the logs');
  });
});
