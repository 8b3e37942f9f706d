/**
 * The "Signaler un problème" form on Discord (#15): what a person submits is recorded as a
 * report whatever its words read as, under a pseudonymous key (never the Discord user id),
 * and the private reply counts the people, never echoing pings or links from the text.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { modalSubmit, user } from '../../fakes/discord/payloads.js';
import { startHarness, type Harness } from './harness.js';

type Callback = { type?: number; data?: { flags?: number; allowed_mentions?: { parse: unknown[] }; embeds?: unknown[]; content?: string } };
const EPHEMERAL = 64;

describe('Discord: the report form', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  const submit = async (text: string, person = { user: user() }) => {
    const i = h.fake.interact(modalSubmit(h.fake.world, 'vigie:report-modal', { text }, person)) as { id: string };
    return (await h.fake.callback(i)).body as Callback;
  };

  test('GIVEN a form with pings, a link and a phone number THEN it is stored masked under a key, and the private reply echoes none of it', async () => {
    const person = { user: user() };
    const id = String(person.user.id);
    const text = "@everyone @here <@&123456789012345678> l'ENT ne marche plus en Occitanie, voir https://phishing.example/login — 06 12 34 56 78";
    const cb = await submit(text, person);
    assert.equal(cb.type, 4);
    assert.equal(cb.data?.flags, EPHEMERAL);
    assert.deepEqual(cb.data?.allowed_mentions?.parse, []);
    const body = JSON.stringify(cb);
    assert.match(body, /Merci, c'est noté\. Vous êtes la première personne à signaler un problème avec ENT en Occitanie depuis 30 min/);
    assert.doesNotMatch(body, /@everyone|@here|<@&|phishing\.example|06 12 34 56 78/);
    const rows = await h.runtime.store.db.kysely.selectFrom('reports').selectAll().execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.platform, 'discord');
    assert.equal(rows[0]?.text, "@everyone @here <@&123456789012345678> l'ENT ne marche plus en Occitanie, voir https://phishing.example/login — [téléphone]");
    assert.ok(!JSON.stringify(rows[0]).includes(id), 'the Discord user id is not stored');
    assert.ok(!JSON.stringify(rows[0]).includes(h.fake.world.guildId), 'nor the guild id');
  });

  test('GIVEN two more people, one of them submitting three times THEN the reply counts 3 people', async () => {
    await submit("l'ENT est en panne en Occitanie");
    const again = { user: user() };
    for (let i = 0; i < 3; i++) await submit('ENT Occitanie ne charge pas', again);
    const cb = await submit('ENT Occitanie ne charge toujours pas', again);
    assert.match(JSON.stringify(cb), /3 personnes ont signalé un problème avec ENT en Occitanie depuis 30 min/);
  });
});
