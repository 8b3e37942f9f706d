/**
 * Gateway payloads as Discord sends them (API v10), for the fake Discord: a guild with one
 * text channel and an admin role, members, and the interactions and messages tests dispatch.
 * Ids are 18-digit snowflakes so @discordjs/rest buckets requests as it does in production.
 */
import { randomBytes } from 'node:crypto';

let counter = 110_000_000_000_000_000n;
/** A fresh snowflake id. */
export function snowflake(): string {
  counter += 1n;
  return counter.toString();
}

/** Permission bits used by the tests. */
export const PERMS = {
  viewAndSend: String((1n << 10n) | (1n << 11n)),
  manageChannels: String((1n << 10n) | (1n << 11n) | (1n << 4n)),
  /** Administrator alone (Discord grants every permission with it). */
  administrator: String(1n << 3n),
  /** What the bot is invited with: View Channel, Send Messages, Embed Links, Read Message History. */
  bot: String((1n << 10n) | (1n << 11n) | (1n << 14n) | (1n << 16n)),
};

/** The fixed world of a test: the application, one guild, one channel, an admin role. */
export interface World {
  appId: string;
  guildId: string;
  channelId: string;
  adminRoleId: string;
  botUser: Record<string, unknown>;
}

/** A new world with fresh ids. */
export function createWorld(): World {
  const appId = snowflake();
  return {
    appId,
    guildId: snowflake(),
    channelId: snowflake(),
    adminRoleId: snowflake(),
    botUser: { id: appId, username: 'Vigie', discriminator: '0000', global_name: null, avatar: null, bot: true },
  };
}

/** A person. */
export function user(name = 'parent'): Record<string, unknown> {
  return { id: snowflake(), username: name, discriminator: '0', global_name: name, avatar: null };
}

const role = (id: string, name: string, position: number) => ({
  id,
  name,
  color: 0,
  hoist: false,
  icon: null,
  unicode_emoji: null,
  position,
  permissions: PERMS.viewAndSend,
  managed: false,
  mentionable: false,
  flags: 0,
});

/** The text channel. */
export function channel(world: World): Record<string, unknown> {
  return { id: world.channelId, type: 0, guild_id: world.guildId, name: 'entraide-parents', position: 0, permission_overwrites: [], nsfw: false, parent_id: null, topic: null, last_message_id: null, rate_limit_per_user: 0, flags: 0 };
}

/** GUILD_CREATE's data. */
export function guild(world: World): Record<string, unknown> {
  return {
    id: world.guildId,
    name: 'Parents d’élèves',
    icon: null,
    owner_id: snowflake(),
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 1,
    default_message_notifications: 1,
    explicit_content_filter: 0,
    roles: [role(world.guildId, '@everyone', 0), role(world.adminRoleId, 'Vigie admins', 1)],
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: 'fr',
    public_updates_channel_id: null,
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    joined_at: '2020-03-01T00:00:00.000Z',
    large: false,
    unavailable: false,
    member_count: 2,
    voice_states: [],
    members: [],
    channels: [channel(world)],
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

/** READY's data; the guild is listed unavailable until its GUILD_CREATE, as Discord does. */
export function ready(world: World, sessionId: string, resumeUrl: string): Record<string, unknown> {
  return {
    v: 10,
    user: world.botUser,
    guilds: [{ id: world.guildId, unavailable: true }],
    session_id: sessionId,
    resume_gateway_url: resumeUrl,
    shard: [0, 1],
    application: { id: world.appId, flags: 0 },
    user_settings: {},
    private_channels: [],
    relationships: [],
    presences: [],
    guild_join_requests: [],
    geo_ordered_rtc_regions: [],
  };
}

/** Who triggers an interaction. */
export interface Person {
  user?: Record<string, unknown>;
  roles?: string[];
  permissions?: string;
  locale?: string;
}

function member(person: Person): Record<string, unknown> {
  return {
    user: person.user ?? user(),
    roles: person.roles ?? [],
    permissions: person.permissions ?? PERMS.viewAndSend,
    joined_at: '2020-03-02T00:00:00.000Z',
    nick: null,
    avatar: null,
    premium_since: null,
    deaf: false,
    mute: false,
    pending: false,
    flags: 0,
  };
}

/** The envelope every interaction shares; `entitlements` and `authorizing_integration_owners` are required by discord.js. */
export function interaction(world: World, type: number, data: Record<string, unknown> | undefined, person: Person = {}, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: snowflake(),
    application_id: world.appId,
    type,
    token: `tok_${randomBytes(12).toString('hex')}`,
    version: 1,
    guild_id: world.guildId,
    guild: { id: world.guildId, locale: 'fr', features: [] },
    channel_id: world.channelId,
    channel: channel(world),
    member: member(person),
    locale: person.locale ?? 'fr',
    guild_locale: 'fr',
    app_permissions: PERMS.bot,
    entitlements: [],
    authorizing_integration_owners: { '0': world.guildId },
    context: 0,
    attachment_size_limit: 10485760,
    ...(data ? { data } : {}),
    ...extra,
  };
}

/** A chat-input option as Discord sends it (strings, booleans). */
export type OptionValue = string | boolean;

function options(values: Record<string, OptionValue>, focused?: string) {
  return Object.entries(values).map(([name, value]) => ({ name, type: typeof value === 'boolean' ? 5 : 3, value, ...(name === focused ? { focused: true } : {}) }));
}

/** A slash command. */
export function command(world: World, name: string, values: Record<string, OptionValue> = {}, person: Person = {}): Record<string, unknown> {
  return interaction(world, 2, { id: snowflake(), name, type: 1, options: options(values) }, person);
}

/** An autocomplete request, `focused` being the option typed in. */
export function autocomplete(world: World, name: string, values: Record<string, OptionValue>, focused: string, person: Person = {}): Record<string, unknown> {
  return interaction(world, 4, { id: snowflake(), name, type: 1, options: options(values, focused) }, person);
}

/** A message as Discord sends it (in MESSAGE_CREATE and in component interactions). */
export function message(world: World, content: string, author: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: snowflake(),
    type: 0,
    channel_id: world.channelId,
    author,
    content,
    timestamp: '2020-03-17T09:00:00.000Z',
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    components: [],
    pinned: false,
    flags: 0,
    ...extra,
  };
}

/** A button click on a message of the bot. */
export function button(world: World, customId: string, person: Person = {}): Record<string, unknown> {
  return interaction(world, 3, { custom_id: customId, component_type: 2 }, person, { message: message(world, '', world.botUser, { application_id: world.appId }) });
}

/** A modal submitted with its text inputs. */
export function modalSubmit(world: World, customId: string, fields: Record<string, string>, person: Person = {}): Record<string, unknown> {
  return interaction(
    world,
    5,
    { custom_id: customId, components: Object.entries(fields).map(([id, value]) => ({ type: 1, components: [{ type: 4, custom_id: id, value }] })) },
    person,
  );
}
