/**
 * The Discord adapter's pure parts: configuration, rendering, command definitions, and
 * command registration against the fake Discord's REST API.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { platformCounts } from '../../../adapters/discord/handlers/progress.js';
import { platformsText } from '../../../adapters/slack/admin-notify.js';
import { ConfigError, type Reply } from '../../../src/index.js';
import { parseDiscordConfig } from '../../../adapters/discord/base/config.js';
import { callbackBody, escapeText, renderReply } from '../../../adapters/discord/base/render.js';
import { commandDefinitions } from '../../../adapters/discord/base/commands.js';
import { registerCommands } from '../../../adapters/discord/register.js';
import { FakeDiscord } from '../../fakes/discord/fake-discord.js';
import { sharedTemplates } from '../../helpers/templates.js';

const TOKEN = 'MTEwMDAwMDAwMDAwMDAwMDAw.secret-part.abcdefghijklmnopqrstuvwxyz';
const SERVICES = [
  { id: 'ent', short: { fr: 'ENT', en: 'ENT' } },
  { id: 'cned', short: { fr: 'CNED', en: 'CNED' } },
];

describe('Discord configuration', () => {
  test('GIVEN no DISCORD_TOKEN THEN Discord is off', () => {
    assert.equal(parseDiscordConfig({}), null);
    assert.equal(parseDiscordConfig({ DISCORD_TOKEN: '' }), null);
  });

  test('GIVEN every variable THEN they are typed, mentions default to off', () => {
    const config = parseDiscordConfig({
      DISCORD_TOKEN: TOKEN,
      DISCORD_APPLICATION_ID: '110000000000000001',
      DISCORD_GUILD_ID: '110000000000000002',
      DISCORD_API_URL: 'http://127.0.0.1:9999/api/',
      VIGIE_DISCORD_ADMIN_ROLES: '110000000000000003, 110000000000000004',
    });
    assert.deepEqual(config, {
      token: TOKEN,
      applicationId: '110000000000000001',
      guildId: '110000000000000002',
      apiUrl: 'http://127.0.0.1:9999/api',
      mentions: false,
      adminRoles: ['110000000000000003', '110000000000000004'],
      adminUsers: [],
    });
    assert.equal(parseDiscordConfig({ DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: '110000000000000001', VIGIE_DISCORD_MENTIONS: 'on' })?.mentions, true);
  });

  test('GIVEN a bad value THEN the error names the variable and never shows the token', () => {
    const bad = (env: Record<string, string>) => {
      try {
        parseDiscordConfig(env);
      } catch (error) {
        assert.ok(error instanceof ConfigError);
        return error;
      }
      assert.fail('expected a ConfigError');
    };
    assert.equal(bad({ DISCORD_TOKEN: TOKEN }).variable, 'DISCORD_APPLICATION_ID');
    assert.equal(bad({ DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: '110000000000000001', VIGIE_DISCORD_MENTIONS: 'yes' }).variable, 'VIGIE_DISCORD_MENTIONS');
    assert.equal(bad({ DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: '110000000000000001', VIGIE_DISCORD_ADMINS: 'alice' }).variable, 'VIGIE_DISCORD_ADMINS');
    const short = bad({ DISCORD_TOKEN: 'short-secret', DISCORD_APPLICATION_ID: '110000000000000001' });
    assert.equal(short.variable, 'DISCORD_TOKEN');
    assert.doesNotMatch(short.message, /short-secret/);
  });
});

describe('Discord rendering', () => {
  const reply: Reply = {
    kind: 'incidents',
    language: 'fr',
    headline: '🔴 ENT : panne majeure en Occitanie',
    status: 'partial_outage',
    sections: [
      { key: 'scope', title: 'Où', text: 'Occitanie (lycées)' },
      { key: 'cause', title: 'Cause', text: 'surcharge **énorme** <@&123> @here' },
      { key: 'links', title: 'Liens', text: 'https://www.example.fr/mon_ent_officiel' },
    ],
    source: { name: 'Région Occitanie', url: 'https://www.laregion.fr', at: '2020-03-17T08:30:00.000Z' },
    time: '2020-03-17T09:00:00.000Z',
    actions: [
      { id: 'report', label: 'Signaler', value: 'Problème avec ENT en Occitanie' },
      { id: 'subscribe', label: 'Suivre', value: 'ent region:76' },
    ],
    incidents: ['ent-occitanie'],
  };

  test('GIVEN an incident reply THEN the embed has the status colour, a field per concern, the source and time in the footer', () => {
    const message = renderReply(sharedTemplates(), reply);
    const embed = message.embeds[0]!;
    assert.equal(embed.color, 0xe67e22);
    assert.deepEqual(embed.fields!.map((f) => f.name), ['Où', 'Cause', 'Liens']);
    assert.match(embed.footer!.text, /Région Occitanie/);
    assert.match(embed.footer!.text, /09:30/);
    assert.equal(embed.url, 'https://www.laregion.fr/');
    assert.deepEqual(message.allowedMentions.parse, []);
    assert.deepEqual(message.components[0]!.components.map((b) => ('custom_id' in b ? b.custom_id : '')), ['vigie:report:Problème avec ENT en Occitanie', 'vigie:sub:ent region:76']);
  });

  test('GIVEN an unknown status THEN the embed is neutral grey; operational only is green', () => {
    assert.equal(renderReply(sharedTemplates(), { ...reply, kind: 'no_information', status: 'unknown', headline: '⚪ ENT : aucun incident signalé à Toulouse' }).embeds[0]!.color, 0x99aab5);
    assert.equal(renderReply(sharedTemplates(), { ...reply, kind: 'all_clear', status: 'operational', headline: '🟢 ENT : rétabli en Occitanie à 17 h 30' }).embeds[0]!.color, 0x2ecc71);
  });

  test('GIVEN markdown and mentions in text THEN they are escaped and defused, validated https addresses stay links', () => {
    const cause = renderReply(sharedTemplates(), reply).embeds[0]!.fields![1]!.value;
    assert.match(cause, /\\\*\\\*énorme\\\*\\\*/);
    assert.doesNotMatch(cause, /<@&123>/);
    assert.doesNotMatch(cause, /@here/);
    assert.equal(renderReply(sharedTemplates(), reply).embeds[0]!.fields![2]!.value, '<https://www.example.fr/mon_ent_officiel>');
    assert.equal(escapeText('a_b `c`'), 'a\\_b \\`c\\`');
  });

  test('GIVEN a memoised reply (frozen parts, shared by later answers) rendered again THEN each rendering is what rendering a fresh copy gives: own time, footer, headline, label and buttons', () => {
    // As the answerer hands them out: frozen lists of frozen parts (typed as the Reply's lists).
    const frozenSections = Object.freeze(reply.sections.map((s) => Object.freeze({ ...s }))) as Reply['sections'];
    const frozenActions = Object.freeze(reply.actions.map((a) => Object.freeze({ ...a }))) as Reply['actions'];
    const base: Reply = { ...reply, sections: frozenSections, actions: frozenActions, source: null };
    const fresh = (r: Reply): Reply => ({ ...r, sections: r.sections.map((s) => ({ ...s })), actions: r.actions.map((a) => ({ ...a })) });
    const variants: Reply[] = [
      base,
      { ...base, time: '2020-03-17T09:00:40.000Z' },
      { ...base, time: '2020-03-17T09:07:00.000Z' },
      { ...base, headline: '🟢 ENT : rétabli' },
      { ...base, demo: { scenario: 'x', label: 'DÉMO **données** rejouées' } },
      { ...base, demo: { scenario: 'x', label: 'DÉMO autre' } },
      { ...base, actions: Object.freeze([frozenActions[1]!]) as Reply['actions'] },
      { ...base, source: Object.freeze({ name: 'Rectorat', at: '2020-03-17T08:45:00.000Z' }) },
      { ...base, status: 'major_outage' },
      { ...base, language: 'en' },
      base,
    ];
    for (const variant of variants) {
      for (const buttons of [true, false]) {
        // The base rendered first, so the variant meets a rendering kept from different parts.
        renderReply(sharedTemplates(), base, { buttons });
        const expected = renderReply(sharedTemplates(), fresh(variant), { buttons });
        assert.deepEqual(renderReply(sharedTemplates(), variant, { buttons }), expected, `${variant.headline} ${variant.time} ${variant.demo?.label ?? ''} ${buttons}`);
        assert.deepEqual(renderReply(sharedTemplates(), variant, { buttons }), expected, 'rendered again');
      }
    }
    // Two sources with the same name and time (the same footer), different addresses.
    const official = Object.freeze({ name: 'Rectorat', url: 'https://www.ac-toulouse.fr/', at: '2020-03-17T08:45:00.000Z' });
    const other = Object.freeze({ ...official, url: 'https://www.ac-montpellier.fr/' });
    renderReply(sharedTemplates(), { ...base, source: official });
    assert.equal(renderReply(sharedTemplates(), { ...base, source: other }).embeds[0]!.url, 'https://www.ac-montpellier.fr/');
    const first = renderReply(sharedTemplates(), base);
    const later = renderReply(sharedTemplates(), { ...base, time: '2020-03-17T09:07:00.000Z' });
    // A kept page's prepared callback JSON is the body the message itself would make, for its own time and flags.
    const bodyOf = (m: ReturnType<typeof renderReply>, flags?: number) => ({
      type: 4,
      data: { embeds: m.embeds, components: m.components, allowed_mentions: { parse: [], replied_user: false }, ...(flags ? { flags } : {}) },
    });
    for (const [message, flags] of [[first, undefined], [later, undefined], [later, 64], [renderReply(sharedTemplates(), { ...base, time: '2020-03-17T09:07:30.000Z' }), 64]] as const) {
      const prepared = callbackBody(message, flags);
      assert.ok(prepared, 'a memoised reply\'s first page is sent prepared');
      assert.deepEqual(JSON.parse(prepared.toString('utf8')), JSON.parse(JSON.stringify(bodyOf(message, flags))));
    }
    assert.equal(JSON.parse(callbackBody(later)!.toString('utf8')).data.embeds[0].timestamp, '2020-03-17T09:07:00.000Z');
    // Anything else is serialized by the caller: a changed message, an unmemoised reply.
    assert.equal(callbackBody({ ...later, content: 'x' }), null);
    assert.equal(callbackBody({ ...later, embeds: [...later.embeds] }), null);
    assert.equal(callbackBody(renderReply(sharedTemplates(), fresh(base))), null);
    assert.equal(later.embeds[0]!.timestamp, '2020-03-17T09:07:00.000Z');
    assert.match(later.embeds[0]!.footer!.text, /10:07/);
    assert.match(first.embeds[0]!.footer!.text, /10:00/);
  });

  test('GIVEN a memoised reply shown as its first message THEN each rendering, and its prepared callback body, is what a fresh copy gives: own time, demo label or tag, follow-up, source, buttons', () => {
    const brief = Object.freeze({ facts: Object.freeze(['Depuis 9 h 30, selon la Région.']) as string[], followUp: 'Cause : surcharge.', footer: 'Dernière information officielle reçue à 9 h 30.' });
    const frozenSections = Object.freeze(reply.sections.map((s) => Object.freeze({ ...s }))) as Reply['sections'];
    const frozenActions = Object.freeze([...reply.actions, { id: 'more', label: 'Plus de détails', value: '' }].map((a) => Object.freeze({ ...a }))) as Reply['actions'];
    const base: Reply = { ...reply, sections: frozenSections, actions: frozenActions, source: null, brief };
    const fresh = (r: Reply): Reply => ({ ...r, sections: r.sections.map((x) => ({ ...x })), actions: r.actions.map((a) => ({ ...a })), ...(r.brief ? { brief: { ...r.brief, facts: [...r.brief.facts] } } : {}) });
    const sourced = Object.freeze({ name: 'Région Occitanie', url: 'https://www.laregion.fr', at: '2020-03-17T08:30:00.000Z', when: '9 h 30' });
    const variants: Reply[] = [
      base,
      { ...base, time: '2020-03-17T09:00:40.000Z' },
      { ...base, time: '2020-03-17T09:07:00.000Z' },
      { ...base, headline: '🟢 ENT : rétabli' },
      { ...base, demo: { scenario: 'x', label: 'DÉMO données rejouées', tag: 'DÉMO 17/03/2020' } },
      { ...base, demo: { scenario: 'x', label: 'DÉMO données rejouées', tag: 'DÉMO 17/03/2020', short: true } },
      { ...base, followUp: true },
      { ...base, source: sourced },
      { ...base, source: sourced, time: '2020-03-17T09:07:00.000Z' },
      { ...base, actions: Object.freeze([frozenActions[0]!]) as Reply['actions'] },
      { ...base, status: 'major_outage' },
      base,
    ];
    const bodyOf = (m: ReturnType<typeof renderReply>) => ({ type: 4, data: { embeds: m.embeds, components: m.components, allowed_mentions: { parse: [], replied_user: false } } });
    // Each variant also after a rendering that differs from it in that one part.
    const demo = { scenario: 'x', label: 'DÉMO données rejouées', tag: 'DÉMO 17/03/2020' };
    const unnamed = Object.freeze({ name: 'Région Occitanie', at: '2020-03-17T08:30:00.000Z' });
    const pairs: [Reply, Reply][] = [
      ...variants.map((v): [Reply, Reply] => [base, v]),
      [{ ...base, demo }, { ...base, demo: { ...demo, short: true } }],
      [{ ...base, demo: { ...demo, short: true } }, { ...base, demo: { ...demo, short: true, tag: 'DÉMO' } }],
      [{ ...base, demo }, { ...base, demo: { ...demo, label: 'DÉMO autre jour' } }],
      [{ ...base, status: null }, { ...base, status: null, kind: 'all_clear' }],
      [base, { ...base, language: 'en' }],
      // A subscription's first message is its sections.
      [{ ...base, kind: 'subscribe', status: null }, { ...base, kind: 'subscribe', status: null, sections: Object.freeze([Object.freeze({ key: 'subscribe', title: 'Suivi', text: 'Ce salon suit ENT.' })]) as Reply['sections'] }],
      [{ ...base, source: unnamed }, { ...base, source: unnamed, time: '2021-01-04T09:00:00.000Z' }],
    ];
    for (const [prime, variant] of pairs) {
      for (const buttons of [true, false]) {
        renderReply(sharedTemplates(), prime, { buttons });
        const expected = renderReply(sharedTemplates(), fresh(variant), { buttons });
        const got = renderReply(sharedTemplates(), variant, { buttons });
        assert.deepEqual(got, expected, `${variant.headline} ${variant.time} ${JSON.stringify(variant.demo ?? null)} ${variant.followUp ?? ''} ${buttons}`);
        const prepared = callbackBody(got);
        assert.ok(prepared, 'a memoised first message is sent prepared');
        assert.deepEqual(JSON.parse(prepared.toString('utf8')), JSON.parse(JSON.stringify(bodyOf(got))));
      }
    }
    assert.ok(renderReply(sharedTemplates(), base, { full: true }).embeds[0]!.fields!.length > 0, 'the details are still the whole answer');
  });
});

describe('Discord commands', () => {
  test('GIVEN the definitions THEN /status is /statut in French with service choices, place autocomplete, level and question', () => {
    const defs = commandDefinitions(SERVICES);
    const status = defs.find((d) => d.name === 'status')!;
    assert.equal(status.name_localizations?.fr, 'statut');
    assert.ok(status.description_localizations?.fr);
    const options = status.options as unknown as { name: string; autocomplete?: boolean; choices?: { value: string }[] }[];
    assert.deepEqual(options.map((o) => o.name), ['service', 'place', 'level', 'question']);
    assert.deepEqual(options[0]!.choices!.map((c) => c.value), ['ent', 'cned']);
    assert.equal(options[1]!.autocomplete, true);
  });

  test('GIVEN the subscription commands THEN changing them needs Manage Channels by default; listing, /status and /incident do not', () => {
    const defs = commandDefinitions(SERVICES);
    const perms = Object.fromEntries(defs.map((d) => [d.name, d.default_member_permissions ?? null]));
    assert.deepEqual(perms, { status: null, subscribe: '16', unsubscribe: '16', subscriptions: null, incident: null });
  });

  test('GIVEN DISCORD_GUILD_ID THEN commands are registered on that server, otherwise globally', async () => {
    const fake = await FakeDiscord.start();
    try {
      const base = { token: TOKEN, applicationId: fake.world.appId, apiUrl: fake.apiUrl };
      const guild = await registerCommands({ ...base, guildId: fake.world.guildId }, SERVICES);
      assert.equal(guild.scope, 'guild');
      assert.deepEqual(guild.commands, ['status', 'subscribe', 'unsubscribe', 'subscriptions', 'incident']);
      assert.ok(fake.registered.has(`/applications/${fake.world.appId}/guilds/${fake.world.guildId}/commands`));
      assert.equal((await registerCommands(base, SERVICES)).scope, 'global');
      assert.ok(fake.registered.has(`/applications/${fake.world.appId}/commands`));
      assert.equal(fake.requests[0]!.authorization, `Bot ${TOKEN}`);
    } finally {
      await fake.close();
    }
  });
});

test('GIVEN a notice with long texts in every section THEN the embed stays under Discord\'s 6,000-character total', async () => {
  const { renderEmbed } = await import('../../../adapters/discord/base/render.js');
  const long = 'é&<>*_'.repeat(600);
  const embed = renderEmbed(sharedTemplates(), {
    kind: 'incidents',
    language: 'fr',
    headline: 'x'.repeat(300),
    status: 'major_outage',
    sections: ['notice', 'other_language', 'scope', 'since', 'cause', 'recovery', 'advice', 'update'].map((key) => ({ key, title: key, text: long })),
    source: { name: 'Rectorat', at: '2020-03-17T09:00:00Z' },
    time: '2020-03-17T09:00:00Z',
    actions: [],
    incidents: [],
  });
  const total = (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0) + (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
  assert.ok(total <= 6000, `total ${total}`);
  assert.ok((embed.fields ?? []).length > 0);
});

test('GIVEN a section whose text names itself (the unconfirmed signal line) THEN the details do not title it twice; other sections keep their bold title', async () => {
  const { renderEmbed } = await import('../../../adapters/discord/base/render.js');
  const embed = renderEmbed(sharedTemplates(), {
    kind: 'incidents',
    language: 'fr',
    headline: 'ENT : panne partielle en Occitanie',
    status: 'partial_outage',
    sections: [
      { key: 'signal', title: 'Non confirmé', text: 'Non confirmé : 25 signalements en Occitanie depuis 8 h (100 en France).' },
      { key: 'notice', title: 'Avis officiel', text: 'Serveurs saturés.' },
    ],
    source: null,
    time: '2020-03-17T09:00:00Z',
    actions: [],
    incidents: [],
  });
  const description = embed.description ?? '';
  assert.match(description, /Non confirmé : 25 signalements en Occitanie depuis 8 h \(100 en France\)\./);
  assert.doesNotMatch(description, /\*\*Non confirmé\*\*/);
  assert.match(description, /\*\*Avis officiel\*\*\nServeurs saturés\./);
});

describe('channels per platform in an admin preview', () => {
  test('GIVEN counts in any order THEN Discord comes first, then the others by name, and empty platforms are left out', () => {
    assert.equal(platformCounts({ slack: 2, discord: 3 }), 'Discord 3 · Slack 2');
    assert.equal(platformCounts({ discord: 3, slack: 2 }), 'Discord 3 · Slack 2');
    assert.equal(platformCounts({ slack: 0, discord: 1 }), 'Discord 1');
    assert.equal(platformCounts({ slack: 4 }), 'Slack 4');
  });
  test('GIVEN the same counts on Slack THEN Slack comes first', () => {
    assert.equal(platformsText({ discord: 3, slack: 2 }), 'Slack 2, Discord 3');
    assert.equal(platformsText({ slack: 2, discord: 3 }), 'Slack 2, Discord 3');
  });
});
