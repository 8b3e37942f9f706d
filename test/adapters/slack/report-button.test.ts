/**
 * Slack's "Signaler un problème" button (#15): the click is recorded as a report for the
 * service and place of the answer it came with (whatever its words read as), under a
 * pseudonymous key, and the private reply counts the people and names the known incident.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCheckedScenario } from '../../../src/index.js';
import { startRig, type Rig } from '../../fakes/slack/harness.js';
import { buttonClick, slashCommand } from '../../fakes/slack/payloads.js';
import { sharedReference } from '../../helpers/reference.js';

const reference = sharedReference();
const scenario = loadCheckedScenario('2020-03-17', reference.content, reference.gazetteer);
type Block = { type: string; text?: { text: string }; elements?: { action_id?: string; value?: string; text?: { text: string } }[] };
const buttonsOf = (blocks: unknown) => (blocks as Block[]).flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []));

describe('Slack: the report button', () => {
  let rig: Rig;
  before(async () => {
    rig = await startRig({ mode: 'in-process', reference, scenario, at: new Date('2020-03-17T09:00:00Z'), locales: { UPROF: 'fr-FR', UPARENT: 'fr-FR' } });
  });
  after(async () => {
    await rig.close();
  });

  test('GIVEN an answer about the ENT in Occitanie WHEN two people click "Signaler un problème", one twice THEN two reports count 2 people, stored without their ids', async () => {
    const url = rig.sink.url();
    await rig.deliver('command', slashCommand({ text: "l'ENT est en panne en Occitanie ?", user: 'UPROF', responseUrl: url }));
    const { body } = await rig.sink.waitFor(url);
    const report = buttonsOf(body.blocks).find((b) => b.action_id === 'vigie_report');
    assert.ok(report?.value);
    const click = async (user: string) => {
      const clickUrl = rig.sink.url();
      await rig.deliver('interactive', buttonClick({ actionId: 'vigie_report', value: report.value!, user, responseUrl: clickUrl }));
      return (await rig.sink.waitFor(clickUrl)).body;
    };
    const first = JSON.stringify(await click('UPROF'));
    assert.match(first, /Merci, c'est noté\. Vous êtes la première personne à signaler un problème avec ENT en Occitanie depuis 30 min\./);
    assert.match(first, /Un incident connu correspond/);
    await click('UPROF');
    const third = await click('UPARENT');
    assert.equal(third.response_type, 'ephemeral');
    assert.match(JSON.stringify(third), /2 personnes ont signalé un problème avec ENT en Occitanie depuis 30 min\./);
    assert.doesNotMatch(JSON.stringify(third), /transm|forward/i);
    const rows = await rig.runtime.store.db.kysely.selectFrom('reports').selectAll().execute();
    assert.deepEqual(rows.map((r) => [r.platform, r.service, r.place_kind, r.place_code]), [
      ['slack', 'ent', 'region', '76'],
      ['slack', 'ent', 'region', '76'],
      ['slack', 'ent', 'region', '76'],
    ]);
    assert.ok(!JSON.stringify(rows).match(/UPROF|UPARENT/));
  });
});
