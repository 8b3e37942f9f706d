import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCheckedScenario } from '../../../src/index.js';
import { httpBody, postSigned, SECRETS, startRig, type Rig } from '../../fakes/slack/harness.js';
import { appMention, slashCommand } from '../../fakes/slack/payloads.js';
import { sharedReference } from '../../helpers/reference.js';

const reference = sharedReference();
const scenario = loadCheckedScenario('2020-03-17', reference.content, reference.gazetteer);

describe('Slack adapter over HTTP (Events API)', () => {
  let rig: Rig;
  // "Now" is the rig's fixed clock (17 March 2020), never the machine's.
  const now = () => Math.floor(rig.clock.now().getTime() / 1000);
  before(async () => {
    rig = await startRig({ mode: 'http', reference, scenario });
  });
  after(async () => {
    await rig.close();
  });

  test('GIVEN HTTP mode THEN no Socket Mode connection is opened and the adapter listens on its port', () => {
    assert.equal(rig.api.callsTo('apps.connections.open').length, 0);
    assert.ok((rig.adapter.port ?? 0) > 0);
  });

  test('GIVEN a signed /statut request THEN it is acked with 200 and answered privately', async () => {
    const responseUrl = rig.sink.url();
    const ack = await rig.deliver('command', slashCommand({ text: 'pronote lille ?', user: 'UPROF', responseUrl }));
    assert.equal(ack.status, 200);
    const { body } = await rig.sink.waitFor(responseUrl);
    assert.equal(body.response_type, 'ephemeral');
    assert.match(String(body.text), /⚪ Pronote : aucun incident signalé à Lille/);
  });

  test('GIVEN a signed mention event THEN the answer goes in the thread', async () => {
    const before = rig.api.calls.length;
    const payload = appMention({ text: "l'ENT est en panne en Occitanie ?", user: 'UPROF', channel: 'CHTTP' });
    assert.equal((await rig.deliver('event', payload)).status, 200);
    const posted = await rig.api.waitFor('chat.postMessage', (c) => c.args.channel === 'CHTTP', before);
    assert.equal(posted.args.thread_ts, (payload.event as { ts: string }).ts);
  });

  test('GIVEN a request signed with another secret THEN it is refused with 401 and nothing is answered', async () => {
    const responseUrl = rig.sink.url();
    const before = rig.api.calls.length;
    const { body, contentType } = httpBody('command', slashCommand({ text: 'ent occitanie', user: 'UPROF', responseUrl }));
    const res = await postSigned(rig.adapter.port!, body, contentType, { secret: 'deadbeefdeadbeefdeadbeefdeadbeef', timestamp: now() });
    assert.equal(res.status, 401);
    // A correctly signed request sent afterwards is answered, and only that one.
    const okUrl = rig.sink.url();
    await rig.deliver('command', slashCommand({ text: 'ent occitanie', user: 'UPROF', responseUrl: okUrl }));
    await rig.sink.waitFor(okUrl);
    assert.equal(rig.sink.responses.filter((r) => responseUrl.endsWith(`/${r.id}`)).length, 0);
    assert.equal(rig.api.calls.slice(before).filter((c) => c.method.startsWith('chat.')).length, 0);
  });

  /** Sends a correctly signed /statut dated `offsetSec` from the rig's clock; says whether it was answered. */
  async function datedCommand(offsetSec: number): Promise<{ status: number; answered: boolean }> {
    const responseUrl = rig.sink.url();
    const { body, contentType } = httpBody('command', slashCommand({ text: 'ent occitanie', user: 'UPROF', responseUrl }));
    const res = await postSigned(rig.adapter.port!, body, contentType, { secret: SECRETS.signing, timestamp: now() + offsetSec });
    // A request sent afterwards is answered: had the first been, its answer would be there by then.
    const okUrl = rig.sink.url();
    await rig.deliver('command', slashCommand({ text: 'ent occitanie', user: 'UPROF', responseUrl: okUrl }));
    await rig.sink.waitFor(okUrl);
    if (res.status === 200) await rig.sink.waitFor(responseUrl);
    return { status: res.status, answered: rig.sink.responses.some((r) => responseUrl.endsWith(`/${r.id}`)) };
  }

  test('GIVEN correctly signed requests dated before the clock THEN those 6 minutes or an hour old are refused as replays, one 290 s old is answered', async () => {
    for (const offset of [-6 * 60, -3600]) assert.deepEqual(await datedCommand(offset), { status: 401, answered: false }, `${offset} s`);
    assert.deepEqual(await datedCommand(-290), { status: 200, answered: true });
  });

  test('GIVEN correctly signed requests dated after the clock THEN those 6 minutes or an hour ahead are refused too, one 290 s ahead is answered (clocks drift a little)', async () => {
    for (const offset of [6 * 60, 3600]) assert.deepEqual(await datedCommand(offset), { status: 401, answered: false }, `+${offset} s`);
    assert.deepEqual(await datedCommand(290), { status: 200, answered: true });
  });

  test('GIVEN a timestamp that is not a number, or no signature THEN the request is refused', async () => {
    const { body, contentType } = httpBody('command', slashCommand({ text: 'ent occitanie', user: 'UPROF', responseUrl: rig.sink.url() }));
    const res = await fetch(`http://127.0.0.1:${rig.adapter.port}/slack/events`, { method: 'POST', headers: { 'content-type': contentType, 'x-slack-request-timestamp': 'soon' }, body });
    assert.equal(res.status, 401);
  });
});
