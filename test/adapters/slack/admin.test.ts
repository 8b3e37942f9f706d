import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRig, type Rig } from '../../fakes/slack/harness.js';
import { buttonClick, slashCommand, viewState, viewSubmission } from '../../fakes/slack/payloads.js';
import { sharedReference } from '../../helpers/reference.js';

const reference = sharedReference();
const ADMIN = 'UADMIN';

const openForm = {
  action: 'open',
  service: 'ent',
  places: 'Occitanie',
  status: 'major_outage',
  phase: 'identified',
  cause: 'overload',
  textFr: "L'ENT est saturé depuis 8 h ; les équipes ajoutent des serveurs.",
  textEn: 'The ENT is overloaded since 8 am; servers are being added.',
  recoveryAt: '14:00',
  adviceFr: 'Utilisez les devoirs envoyés par e-mail.',
};

describe('Slack admin modal (HTTP mode, incidents from the store)', () => {
  let rig: Rig;
  before(async () => {
    rig = await startRig({ mode: 'in-process', reference, admins: [ADMIN], locales: { [ADMIN]: 'fr-FR' } });
  });
  after(async () => {
    await rig.close();
  });

  test('GIVEN someone not in VIGIE_SLACK_ADMINS runs /statut-admin THEN they are refused and the attempt is audited', async () => {
    const responseUrl = rig.sink.url();
    await rig.deliver('command', slashCommand({ command: '/statut-admin', text: '', user: 'UPARENT', responseUrl }));
    const { body } = await rig.sink.waitFor(responseUrl);
    assert.equal(body.response_type, 'ephemeral');
    assert.match(String(body.text), /réservée aux administrateurs/);
    assert.equal(rig.api.callsTo('views.open').length, 0);
    const audit = await rig.runtime.store.audit.list();
    assert.ok(audit.some((e) => e.actor.user.endsWith('UPARENT') && e.outcome === 'refused'), JSON.stringify(audit));
  });

  test('GIVEN an admin runs /statut-admin THEN the incident modal opens with the services to choose from', async () => {
    const payload = slashCommand({ command: '/statut-admin', text: '', user: ADMIN, responseUrl: rig.sink.url() });
    await rig.deliver('command', payload);
    const opened = await rig.api.waitFor('views.open');
    assert.equal(opened.args.trigger_id, payload.trigger_id);
    const view = opened.args.view as { callback_id: string; blocks: { block_id: string }[] };
    assert.equal(view.callback_id, 'vigie_admin_form');
    for (const field of ['action', 'service', 'places', 'levels', 'status', 'phase', 'cause', 'textFr', 'textEn', 'recoveryAt', 'adviceFr', 'notify', 'force']) {
      assert.ok(view.blocks.some((b) => b.block_id === field), `field ${field}`);
    }
    assert.match(JSON.stringify(view), /"value":"ent"/);
  });

  test('GIVEN a form without places THEN the modal shows the problem next to the field and nothing is stored', async () => {
    const ack = await rig.deliver(
      'interactive',
      viewSubmission({ callbackId: 'vigie_admin_form', user: ADMIN, privateMetadata: '{"language":"fr","revision":0}', state: viewState({ ...openForm, places: '' }) }),
    );
    assert.equal(ack.body?.response_action, 'errors');
    assert.ok((ack.body?.errors as Record<string, string>).places, JSON.stringify(ack.body));
    assert.equal(await rig.runtime.store.incidents.count(), 0);
  });

  test('GIVEN an admin submits the form THEN a preview comes first, and publishing stores the incident that /statut then reports', async () => {
    const meta = JSON.stringify({ channel: 'CADMIN', language: 'fr', revision: 0 });
    const preview = await rig.deliver('interactive', viewSubmission({ callbackId: 'vigie_admin_form', user: ADMIN, privateMetadata: meta, state: viewState(openForm) }));
    assert.equal(preview.body?.response_action, 'push');
    const pushed = preview.body?.view as { callback_id: string; private_metadata: string };
    assert.equal(pushed.callback_id, 'vigie_admin_preview');
    assert.match(JSON.stringify(pushed), /ENT/);
    assert.equal(await rig.runtime.store.incidents.count(), 0, 'the preview stores nothing');

    const before = rig.api.calls.length;
    const done = await rig.deliver('interactive', viewSubmission({ callbackId: 'vigie_admin_preview', user: ADMIN, privateMetadata: pushed.private_metadata, state: { values: {} } }));
    assert.equal(done.body?.response_action, 'clear');
    const stored = await rig.runtime.store.incidents.list();
    assert.equal(stored.length, 1);
    assert.equal(stored[0]?.service, 'ent');
    assert.equal(stored[0]?.status, 'major_outage');
    const told = await rig.api.waitFor('chat.postEphemeral', (c) => c.args.user === ADMIN, before);
    assert.equal(told.args.channel, 'CADMIN');
    const audit = await rig.runtime.store.audit.list();
    assert.ok(audit.some((e) => e.actor.user.endsWith(ADMIN) && e.action === 'incident.open' && e.outcome === 'ok'));

    const responseUrl = rig.sink.url();
    await rig.deliver('command', slashCommand({ text: 'ent toulouse', user: 'UPROF', responseUrl }));
    const { body } = await rig.sink.waitFor(responseUrl);
    assert.match(String(body.text), /panne majeure/);
    assert.match(String(body.text), /^Depuis \d{1,2} h/m, 'the first message: since when');
    const more = ((body.blocks as { type: string; elements?: { action_id?: string }[] }[]).find((b) => b.type === 'actions')?.elements ?? []).some((e) => e.action_id === 'vigie_more');
    assert.ok(more, 'the admin\'s words are one click away ("Plus de détails")');
  });

  test('GIVEN an admin picks an open incident in the form THEN the form is refilled from it', async () => {
    const [incident] = await rig.runtime.store.incidents.list();
    assert.ok(incident);
    const before = rig.api.calls.length;
    const click = buttonClick({ actionId: 'vigie_admin_pick', value: '', user: ADMIN, responseUrl: rig.sink.url() });
    const payload = {
      ...click,
      view: { id: 'VFORM', hash: 'h1', private_metadata: '{"channel":"CADMIN","language":"fr","revision":0}', callback_id: 'vigie_admin_form', state: { values: {} } },
      actions: [{ type: 'static_select', action_id: 'vigie_admin_pick', block_id: 'id', selected_option: { value: incident.id, text: { type: 'plain_text', text: 'x' } } }],
    };
    await rig.deliver('interactive', payload);
    const updated = await rig.api.waitFor('views.update', () => true, before);
    assert.equal(updated.args.view_id, 'VFORM');
    const view = JSON.stringify(updated.args.view);
    assert.match(view, /"block_id":"action\.1"/);
    assert.match(view, new RegExp(`"initial_value":"${incident.title.fr.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`));
  });

  test('GIVEN the stored ENT Occitanie incident WHEN the same form is submitted again THEN the form says it is open, with its id and how to update it; with "Ouvrir quand même" ticked THEN the preview comes', async () => {
    const [incident] = await rig.runtime.store.incidents.listOpen();
    assert.ok(incident);
    const meta = JSON.stringify({ channel: 'CADMIN', language: 'fr', revision: 0 });
    const refused = await rig.deliver('interactive', viewSubmission({ callbackId: 'vigie_admin_form', user: ADMIN, privateMetadata: meta, state: viewState(openForm) }));
    assert.equal(refused.body?.response_action, 'errors');
    const errors = Object.values(refused.body?.errors as Record<string, string>).join('\n');
    assert.ok(errors.includes(`« ${incident.id} »`), errors);
    assert.match(errors, /\/statut-admin, action « Mettre à jour un incident »/);
    const forced = await rig.deliver('interactive', viewSubmission({ callbackId: 'vigie_admin_form', user: ADMIN, privateMetadata: meta, state: viewState({ ...openForm, force: ['force'] }) }));
    assert.equal(forced.body?.response_action, 'push');
    assert.equal((await rig.runtime.store.incidents.listOpen()).length, 1, 'the preview stores nothing');
  });

  test('GIVEN a non-admin forges a preview submission THEN nothing is stored and the attempt is audited', async () => {
    const countBefore = await rig.runtime.store.incidents.count();
    const ack = await rig.deliver(
      'interactive',
      viewSubmission({ callbackId: 'vigie_admin_preview', user: 'UPARENT', privateMetadata: '{"pending":"whatever","language":"fr"}', state: { values: {} } }),
    );
    assert.equal(ack.body?.response_action, 'update');
    assert.equal(await rig.runtime.store.incidents.count(), countBefore);
    const audit = await rig.runtime.store.audit.list();
    assert.ok(audit.some((e) => e.actor.user.endsWith('UPARENT') && e.action === 'incident.apply' && e.outcome === 'refused'));
  });
});
