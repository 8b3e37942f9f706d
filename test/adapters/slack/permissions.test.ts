import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCheckedScenario, type PlaceRef } from '../../../src/index.js';
import { startRig, type Rig } from '../../fakes/slack/harness.js';
import { buttonClick, slashCommand } from '../../fakes/slack/payloads.js';
import { FAKE_TEAM } from '../../fakes/slack/web-api.js';
import { sharedReference } from '../../helpers/reference.js';

const reference = sharedReference();
const scenario = loadCheckedScenario('2020-03-17', reference.content, reference.gazetteer);

type Blocks = { type: string; text?: { type: string; text: string } }[];
const sectionsOf = (blocks: unknown) => (blocks as Blocks).filter((b) => b.type === 'section').map((b) => b.text?.text ?? '');

describe('Slack: who may change a channel’s subscriptions', () => {
  let rig: Rig;
  const where = (channel: string) => ({ platform: 'slack' as const, workspace: FAKE_TEAM.id, channel });
  const OCCITANIE: PlaceRef = { kind: 'region', code: '76', name: 'Occitanie' };

  before(async () => {
    rig = await startRig({
      mode: 'in-process',
      reference,
      scenario,
      admins: ['UVIGIEADMIN'],
      subscribers: ['UDESIGNATED'],
      locales: { UMEMBER: 'fr-FR', UENGLISH: 'en-US' },
      api: { users: { UWSADMIN: { is_admin: true, locale: 'fr-FR' }, UOWNER: { is_owner: true }, UPRIMARY: { is_primary_owner: true }, UDEMOTED: { is_admin: true } } },
    });
  });
  after(async () => {
    await rig.close();
  });

  /** Runs /statut with `text` in `channel` as `user`; returns the private answer. */
  async function statut(user: string, text: string, channel: string): Promise<Record<string, unknown>> {
    const responseUrl = rig.sink.url();
    await rig.deliver('command', slashCommand({ text, user, responseUrl, channel }));
    return (await rig.sink.waitFor(responseUrl)).body;
  }
  const usersInfoFor = (user: string) => rig.api.callsTo('users.info').filter((c) => c.args.user === user).length;

  test('GIVEN a channel member who is not an admin THEN "désabonner tout" is refused privately, the subscriptions stay and the attempt is audited', async () => {
    for (const service of ['ent', 'cned', 'pronote']) await rig.runtime.store.subscriptions.add({ ...where('CSUBS'), service, place: OCCITANIE, createdBy: 'UWSADMIN' });
    const body = await statut('UMEMBER', 'désabonner tout', 'CSUBS');
    assert.equal(body.response_type, 'ephemeral');
    assert.match(String(body.text), /Abonnements réservés/);
    assert.match(String(body.text), /administrateurs/);
    assert.equal((await rig.runtime.store.subscriptions.list(where('CSUBS'))).length, 3, 'nothing removed');
    const audit = await rig.runtime.store.audit.list();
    assert.ok(
      audit.some((e) => e.actor.user.endsWith('UMEMBER') && e.action === 'subscription.unsubscribe' && e.outcome === 'refused' && e.target?.endsWith('/CSUBS')),
      JSON.stringify(audit),
    );
  });

  test('GIVEN a member THEN "abonner" and the "follow updates" button are refused too, and nothing is stored', async () => {
    const body = await statut('UMEMBER', 'abonner ent occitanie', 'CMEMBER');
    assert.match(String(body.text), /Abonnements réservés/);
    const responseUrl = rig.sink.url();
    await rig.deliver('interactive', buttonClick({ actionId: 'vigie_subscribe', value: 'ent region:76', user: 'UMEMBER', responseUrl, channel: 'CMEMBER' }));
    const clicked = (await rig.sink.waitFor(responseUrl)).body;
    assert.equal(clicked.response_type, 'ephemeral');
    assert.match(String(clicked.text), /Abonnements réservés/);
    assert.deepEqual(await rig.runtime.store.subscriptions.list(where('CMEMBER')), []);
    const refused = (await rig.runtime.store.audit.list()).filter((e) => e.actor.user.endsWith('UMEMBER') && e.action === 'subscription.subscribe' && e.outcome === 'refused');
    assert.equal(refused.length, 2);
  });

  test('GIVEN a member THEN listing the channel’s subscriptions stays open, without looking up their role', async () => {
    const before = usersInfoFor('UMEMBER');
    const body = await statut('UMEMBER', 'abonnements', 'CSUBS');
    assert.match(String(body.text), /3 abonnement\(s\)/);
    assert.equal(usersInfoFor('UMEMBER'), before);
  });

  test('GIVEN workspace admins and owners (users.info) THEN they may subscribe and unsubscribe', async () => {
    for (const [user, channel] of [['UWSADMIN', 'CADMIN1'], ['UOWNER', 'COWNER1'], ['UPRIMARY', 'CPRIMARY1']] as const) {
      const body = await statut(user, 'abonner ent occitanie', channel);
      assert.match(String(body.text), /Abonnement enregistré/, user);
      assert.equal((await rig.runtime.store.subscriptions.list(where(channel))).length, 1, user);
      assert.match(String((await statut(user, 'désabonner tout', channel)).text), /Abonnement retiré/, user);
    }
  });

  test('GIVEN people named in VIGIE_SLACK_SUBSCRIBERS or VIGIE_SLACK_ADMINS THEN they may change subscriptions, with no role lookup', async () => {
    for (const [user, channel] of [['UDESIGNATED', 'CLISTED1'], ['UVIGIEADMIN', 'CLISTED2']] as const) {
      assert.match(String((await statut(user, 'abonner cned france', channel)).text), /Abonnement enregistré/, user);
      const responseUrl = rig.sink.url();
      await rig.deliver('interactive', buttonClick({ actionId: 'vigie_subscribe', value: 'ent region:76', user, responseUrl, channel }));
      assert.match(String((await rig.sink.waitFor(responseUrl)).body.text), /Abonnement enregistré/, user);
      assert.equal((await rig.runtime.store.subscriptions.list(where(channel))).length, 2, user);
      assert.equal(usersInfoFor(user), 0, user);
    }
  });

  test('GIVEN a workspace admin’s role THEN it is looked up once and trusted for 5 minutes; demoted, they are refused once that has passed', async () => {
    assert.match(String((await statut('UDEMOTED', 'abonner ent occitanie', 'CROLE')).text), /Abonnement enregistré/);
    assert.equal(usersInfoFor('UDEMOTED'), 1);
    rig.api.users.set('UDEMOTED', { is_admin: false });
    rig.clock.advance(4 * 60_000);
    assert.match(String((await statut('UDEMOTED', 'abonner cned occitanie', 'CROLE')).text), /Abonnement enregistré/);
    assert.equal(usersInfoFor('UDEMOTED'), 1, 'the cached role served');
    rig.clock.advance(2 * 60_000);
    assert.match(String((await statut('UDEMOTED', 'désabonner tout', 'CROLE')).text), /Abonnements réservés/);
    assert.equal(usersInfoFor('UDEMOTED'), 2, 'looked up again after 5 minutes');
    assert.equal((await rig.runtime.store.subscriptions.list(where('CROLE'))).length, 2);
  });

  test('GIVEN questions THEN no role is ever looked up, and questions whose words say their language need no users.info at all', async () => {
    const before = rig.api.callsTo('users.info').length;
    for (const [text, header] of [
      ["l'ENT est en panne en Occitanie ?", /ENT : panne partielle en Occitanie/],
      ['is the CNED down this morning?', /CNED: partial outage/],
    ] as const) {
      const body = await statut('UNEWCOMER', text, 'CQUESTIONS');
      assert.match(JSON.stringify(body.blocks), header);
    }
    assert.equal(rig.api.callsTo('users.info').length, before);
  });

  test('GIVEN a question whose words do not tell the language THEN the person’s Slack locale decides, looked up once', async () => {
    const before = usersInfoFor('UENGLISH');
    for (let i = 0; i < 2; i++) {
      const body = await statut('UENGLISH', 'ent 31', 'CQUESTIONS');
      assert.match(JSON.stringify(body.blocks), /ENT: partial outage/);
    }
    assert.equal(usersInfoFor('UENGLISH') - before, 1);
  });

  test('GIVEN users.info rate limited for a minute THEN a question is answered at once without it, and a subscription change is refused rather than kept waiting', async () => {
    rig.api.rateLimitNext('users.info', 60);
    const body = await statut('UENGLISH2', 'ent 31', 'CQUESTIONS');
    assert.match(JSON.stringify(body.blocks), /ENT : panne partielle/, 'French, the locale being unknown');
    rig.api.rateLimitNext('users.info', 60);
    assert.match(String((await statut('UOWNER2', 'abonner ent occitanie', 'CLIMITED')).text), /Abonnements réservés/);
    assert.match(rig.logs.join(''), /could not check a workspace role/);
  });

  test('GIVEN a channel with 50 subscriptions THEN the list shows every one, in section blocks within Slack’s limits, none cut; a 51st is refused', async () => {
    // The longest lines a list can have: long names, every level, paused after failures.
    const communes = reference.gazetteer.communes
      .filter((c) => c.population > 1_000)
      .sort((a, b) => b.name.length - a.name.length)
      .slice(0, 50);
    for (const c of communes) {
      const { subscription } = await rig.runtime.store.subscriptions.add({ ...where('CFULL'), service: 'ent', place: { kind: 'commune', code: c.code, name: c.name }, levels: ['ecole', 'college', 'lycee'], createdBy: 'UWSADMIN' });
      await rig.runtime.store.subscriptions.update(subscription.id, { active: false, failures: 3 });
    }
    const body = await statut('UMEMBER', 'abonnements', 'CFULL');
    assert.doesNotMatch(String(body.text), /…/, 'the notification text is not cut either');
    const blocks = body.blocks as Blocks;
    assert.ok(blocks.length <= 50, `${blocks.length} blocks`);
    const sections = sectionsOf(blocks);
    for (const text of sections) {
      assert.ok(text.length <= 3000, `${text.length} characters`);
      assert.doesNotMatch(text, /…/);
    }
    const shown = sections.join('\n');
    for (const c of communes) assert.ok(shown.includes(c.name.replace(/&/g, '&amp;')), c.name);
    assert.equal(shown.match(/^• /gm)?.length, 50);
    const full = await statut('UWSADMIN', 'abonner cned france', 'CFULL');
    assert.match(String(full.text), /Trop d'abonnements/);
    assert.equal((await rig.runtime.store.subscriptions.list(where('CFULL'))).length, 50);
  });
});
