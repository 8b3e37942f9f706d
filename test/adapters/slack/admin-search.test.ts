import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Actor, type Incident, type Subscription } from '../../../src/index.js';
import { startRig, type Rig } from '../../fakes/slack/harness.js';
import { blockSuggestion, buttonClick, slashCommand, viewState, viewSubmission } from '../../fakes/slack/payloads.js';
import { FAKE_TEAM } from '../../fakes/slack/web-api.js';
import { sharedReference } from '../../helpers/reference.js';

const reference = sharedReference();
const ADMIN = 'UADMIN';
const actor: Actor = { platform: 'slack', workspace: FAKE_TEAM.id, user: ADMIN };
const OPEN = 110;
const CHANNELS = 300;

type Option = { text: { text: string }; value: string };

describe('Slack admin modal: every open incident can be picked, and publishing answers Slack first', () => {
  let rig: Rig;
  let open: Incident[];
  before(async () => {
    rig = await startRig({ mode: 'in-process', reference, admins: [ADMIN], locales: { [ADMIN]: 'fr-FR' } });
    for (let i = 1; i <= OPEN; i++) {
      const done = await rig.runtime.bot.applyIncident(
        // 110 incidents of one service and place: each forced past the identical-incident check.
        { action: 'open', service: 'ent', places: 'Occitanie', status: 'partial_outage', phase: 'investigating', titleFr: `Panne numéro ${i}`, titleEn: `Outage number ${i}`, textFr: `Incident ${i}.`, force: true },
        actor,
        'fr',
      );
      assert.ok(done.ok);
    }
    open = await rig.runtime.bot.openIncidents();
    const place = { kind: 'region', code: '76', name: 'Occitanie' } as const;
    for (let c = 1; c <= CHANNELS; c++) await rig.runtime.store.subscriptions.add({ platform: 'slack', workspace: FAKE_TEAM.id, channel: `CECOLE${c}`, service: 'ent', place, createdBy: 'test' });
  });
  after(async () => {
    await rig.close();
  });

  async function search(value: string, user = ADMIN): Promise<Option[]> {
    const ack = await rig.deliver('interactive', blockSuggestion({ actionId: 'vigie_admin_pick', blockId: 'id', value, user }));
    return (ack.body?.options ?? []) as Option[];
  }

  test(`GIVEN ${OPEN} open incidents THEN the form's picker searches them all: any one is found by its title or id, 100 at most at once`, async () => {
    assert.equal(open.length, OPEN);
    const payload = slashCommand({ command: '/statut-admin', text: '', user: ADMIN, responseUrl: rig.sink.url() });
    await rig.deliver('command', payload);
    const opened = await rig.api.waitFor('views.open');
    const picker = (opened.args.view as { blocks: { block_id: string; element: { type: string; options?: unknown } }[] }).blocks.find((b) => b.block_id === 'id');
    assert.equal(picker?.element.type, 'external_select');
    assert.equal(picker?.element.options, undefined);

    assert.equal((await search('')).length, 100);
    for (const n of [1, 57, 105, 110]) {
      const found = await search(`numero ${n}`);
      const wanted = open.find((i) => i.title.fr === `Panne numéro ${n}`)!;
      assert.ok(found.some((o) => o.value === wanted.id), `incident ${n}: ${JSON.stringify(found.slice(0, 3))} ${wanted.id}`);
      assert.ok(found.every((o) => o.text.text.length <= 75));
      assert.equal((await search(wanted.id))[0]?.value, wanted.id);
    }
    assert.deepEqual(await search('', 'UPARENT'), [], 'no incident for someone who is not an admin');
  });

  test('GIVEN the 110th incident picked THEN the form is refilled from it, and it can be resolved', async () => {
    const last = open.find((i) => i.title.fr === `Panne numéro ${OPEN}`)!;
    const before = rig.api.calls.length;
    const click = buttonClick({ actionId: 'vigie_admin_pick', value: '', user: ADMIN, responseUrl: rig.sink.url() });
    await rig.deliver('interactive', {
      ...click,
      view: { id: 'VFORM', hash: 'h1', private_metadata: '{"language":"fr","revision":0}', callback_id: 'vigie_admin_form', state: { values: {} } },
      actions: [{ type: 'external_select', action_id: 'vigie_admin_pick', block_id: 'id', selected_option: { value: last.id, text: { type: 'plain_text', text: 'x' } } }],
    });
    const updated = await rig.api.waitFor('views.update', (c) => c.args.view_id === 'VFORM', before);
    assert.match(JSON.stringify(updated.args.view), /"initial_value":"Panne numéro 110"/);
    assert.match(JSON.stringify(updated.args.view), new RegExp(`"initial_option":\\{[^}]*\\}[^}]*"value":"${last.id}"`));

    const meta = '{"channel":"CADMIN","language":"fr","revision":1}';
    const preview = await rig.deliver('interactive', viewSubmission({ callbackId: 'vigie_admin_form', user: ADMIN, privateMetadata: meta, state: viewState({ action: 'resolve', id: last.id, textFr: 'Rétabli.' }) }));
    assert.equal(preview.body?.response_action, 'push', JSON.stringify(preview.body));
    const pushed = preview.body?.view as { private_metadata: string };
    const done = await rig.deliver('interactive', viewSubmission({ callbackId: 'vigie_admin_preview', user: ADMIN, privateMetadata: pushed.private_metadata, state: { values: {} } }));
    assert.equal(done.body?.response_action, 'clear');
    assert.equal((await rig.runtime.bot.openIncidents()).some((i) => i.id === last.id), false);
  });

  test(`GIVEN ${CHANNELS} subscribed channels THEN the preview and "Publier" are acknowledged before the channels are counted and the outbox is written`, async () => {
    const order: string[] = [];
    const subs = rig.runtime.store.subscriptions;
    const candidates = subs.candidates.bind(subs);
    let acked: () => void = () => {};
    let gate = new Promise<void>((resolve) => (acked = resolve));
    // Reading every subscription waits for Slack's ack; if the adapter waited for the reading
    // before acknowledging, nothing would move until the safety net below (Slack's 3 s).
    subs.candidates = async (...args: Parameters<typeof candidates>): Promise<Subscription[]> => {
      order.push('channels read');
      const safety = new Promise<void>((resolve) => setTimeout(() => (order.push('no ack while reading'), resolve()), 3000).unref());
      await Promise.race([gate, safety]);
      const all = await candidates(...args);
      order.push('channels counted');
      return all;
    };
    try {
      // ENT Occitanie is open already (above): "open anyway" is ticked.
      const form = { action: 'open', service: 'ent', places: 'Occitanie', status: 'major_outage', phase: 'identified', textFr: 'Panne générale.', notify: ['notify'], force: ['force'] };
      const meta = '{"channel":"CADMIN","language":"fr","revision":0}';
      const before = rig.api.calls.length;
      const previewAck = rig.deliver('interactive', viewSubmission({ callbackId: 'vigie_admin_form', user: ADMIN, privateMetadata: meta, state: viewState(form) })).then((a) => {
        order.push('preview acked');
        acked();
        return a;
      });
      const preview = await previewAck;
      assert.equal(preview.body?.response_action, 'push');
      const filled = await rig.api.waitFor('views.update', (c) => c.args.external_id === (preview.body?.view as { external_id: string }).external_id, before);
      assert.match(JSON.stringify(filled.args.view), new RegExp(`${CHANNELS} salon\\(s\\) recevront cet avis`));

      gate = new Promise<void>((resolve) => (acked = resolve));
      const outbox = rig.runtime.store.outbox;
      const published = await rig.deliver('interactive', viewSubmission({ callbackId: 'vigie_admin_preview', user: ADMIN, privateMetadata: (filled.args.view as { private_metadata: string }).private_metadata, state: { values: {} }, viewId: 'VPUB' })).then(async (a) => {
        order.push(`publish acked with ${(await outbox.listNotices()).length} notice(s) in the outbox`);
        acked();
        return a;
      });
      assert.equal(published.body?.response_action, 'update');
      await rig.api.waitFor('views.update', (c) => c.args.view_id === 'VPUB', before);
      const [notice] = await outbox.listNotices();
      assert.equal((await outbox.listDeliveries(notice!.id)).length, CHANNELS);
      assert.ok(!order.includes('no ack while reading'), order.join(' → '));
      // Reading may start as the ack leaves; counting ends only after Slack has it.
      const counted = order.map((o, i) => (o === 'channels counted' ? i : -1)).filter((i) => i >= 0);
      assert.equal(counted.length, 2, order.join(' → '));
      assert.ok(order.indexOf('preview acked') < counted[0]!, order.join(' → '));
      assert.ok(order.indexOf('publish acked with 0 notice(s) in the outbox') > counted[0]! && order.indexOf('publish acked with 0 notice(s) in the outbox') < counted[1]!, order.join(' → '));
    } finally {
      subs.candidates = candidates;
    }
  });
});
