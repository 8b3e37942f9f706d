/**
 * Ambiguity asked with buttons on Discord (issue 13, item 4): a real discord.js client against
 * the local fake Discord; the choice buttons answer for the chosen place or incident.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor } from '../../../src/index.js';
import { startHarness, type Harness } from './harness.js';
import { unsureUnderstander } from '../../understand/helpers.js';
import { button, command, user } from '../../fakes/discord/payloads.js';
import type { RecordedRequest } from '../../fakes/discord/fake-discord.js';

type Embed = { title: string; fields: { name: string; value: string }[]; description?: string };
type Body = { type?: number; data?: { flags?: number }; embeds?: Embed[]; components?: { components: { custom_id: string; label: string }[] }[]; flags?: number };
const bodyOf = (r: RecordedRequest) => r.body as Body;
const embedOf = (b: Body) => b.embeds![0]!;
const buttonsOf = (b: Body) => (b.components ?? []).flatMap((row) => row.components);
const EPHEMERAL = 64;
const admin: Actor = { platform: 'cli', user: 'admin', name: 'Rectorat' };

describe('Discord: ambiguity is asked with buttons, and a button answers for its choice', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    // The ENT down in Seine-Saint-Denis, the CNED down everywhere.
    for (const input of [
      { action: 'open', service: 'ent', places: 'Seine-Saint-Denis', status: 'major_outage', textFr: "L'ENT ne répond plus." },
      { action: 'open', service: 'cned', places: 'France', status: 'partial_outage', cause: 'cyberattack', textFr: 'Le CNED est attaqué.' },
    ]) assert.ok((await h.runtime.bot.applyIncident(input, admin, 'fr')).ok);
  });
  after(async () => {
    assert.deepEqual(h.fake.invalidBodies().map((r) => `${r.method} ${r.path}`), [], 'Discord would have refused these bodies');
    await h.close();
  });

  async function ask(values: Record<string, string>, person = {}) {
    const i = h.fake.interact(command(h.fake.world, 'status', values, person));
    return (await h.fake.answer(i)).message as Body;
  }

  test('GIVEN /statut "ENT à Saint-Denis ?" THEN buttons ask which Saint-Denis; the Seine-Saint-Denis one answers privately for it', async () => {
    const answer = await ask({ question: 'ENT à Saint-Denis ?' });
    assert.match(embedOf(answer).title, /Quel Saint-Denis/);
    const choices = buttonsOf(answer).filter((b) => b.custom_id.startsWith('vigie:choose:'));
    assert.equal(choices.length, 4);
    const ssd = choices.find((b) => /Seine-Saint-Denis/.test(b.label));
    assert.ok(ssd);
    assert.match(ssd.label, /^2\. /);
    const { callback, message } = await h.fake.answer(h.fake.interact(button(h.fake.world, ssd.custom_id)));
    assert.equal(bodyOf(callback).data?.flags, EPHEMERAL);
    assert.match(embedOf(message as Body).title, /ENT : panne majeure dans le 93 \(Seine-Saint-Denis\)/);
  });

  test('GIVEN a Saint-Denis picked in the place list of /statut THEN it is answered for that one, without a question', async () => {
    const answer = await ask({ service: 'ent', place: 'commune:93066' }, { user: user('parent2') });
    assert.match(embedOf(answer).title, /ENT : panne majeure dans le 93/);
  });

  test('GIVEN /statut "quand ça revient ?" with nothing named THEN one line and one button per incident; the CNED button answers for the CNED', async () => {
    const answer = await ask({ question: 'quand ça revient ?' }, { user: user('parent3') });
    assert.match(embedOf(answer).title, /2 incidents en cours/);
    const choices = buttonsOf(answer).filter((b) => b.custom_id.startsWith('vigie:choose:'));
    assert.equal(choices.length, 2);
    const cned = choices.find((b) => /CNED/.test(b.label));
    assert.ok(cned);
    const { message } = await h.fake.answer(h.fake.interact(button(h.fake.world, cned.custom_id, { user: user('parent3') })));
    assert.match(embedOf(message as Body).title, /CNED/);
  });

  test('GIVEN a forged choice button THEN it is answered as an unknown question, never a crash', async () => {
    const { callback } = await h.fake.answer(h.fake.interact(button(h.fake.world, 'vigie:choose:fr:eta:nope:*:commune:00000')));
    assert.equal(bodyOf(callback).type, 4);
  });
});

describe('Discord: when unsure, the other reading is one button away', () => {
  let h: Harness;
  before(async () => {
    // A reader that hesitates: "is it down?" (e^1) or "why is it down?" (e^0.5).
    h = await startHarness({ understander: unsureUnderstander({ status: 1, cause: 0.5 }) });
    assert.ok((await h.runtime.bot.applyIncident({ action: 'open', service: 'cned', places: 'France', status: 'partial_outage', cause: 'cyberattack', textFr: 'Le CNED est attaqué.' }, admin, 'fr')).ok);
  });
  after(async () => {
    assert.deepEqual(h.fake.invalidBodies().map((r) => `${r.method} ${r.path}`), [], 'Discord would have refused these bodies');
    await h.close();
  });

  test('GIVEN a question read as "is it down?" but nearly "why?" THEN a button offers the other; clicking it answers why', async () => {
    const i = h.fake.interact(command(h.fake.world, 'status', { question: 'des nouvelles du CNED ?' }));
    const answer = (await h.fake.answer(i)).message as Body;
    const other = buttonsOf(answer).find((b) => b.label === 'Ou : pourquoi cette panne ?');
    assert.ok(other, JSON.stringify(buttonsOf(answer).map((b) => b.label)));
    const { message } = await h.fake.answer(h.fake.interact(button(h.fake.world, other.custom_id)));
    const text = JSON.stringify(message);
    assert.match(text, /CNED/);
    assert.match(text, /[Cc]yberattaque|attaqu/);
  });
});
