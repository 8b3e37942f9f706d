import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { planTargets, spreadWorkspaces, subscriptionMatches, type NoticeScope, type Target } from '../../src/notices/index.js';
import type { Subscription } from '../../src/store/index.js';
import { sharedReference } from '../helpers/bot.js';

const { gazetteer } = sharedReference();

function sub(overrides: Partial<Subscription> & Pick<Subscription, 'place'>): Subscription {
  return { id: 'aaaaaaaaaaaaaaaa', platform: 'slack', workspace: 'T1', channel: 'C1', service: 'ent', levels: [], audience: 'all', createdAt: '2020-03-17T08:00:00Z', createdBy: 'u', active: true, failures: 0, ...overrides };
}
const occitanie = { kind: 'region', code: '76', name: 'Occitanie' } as const;
const herault = { kind: 'departement', code: '34', name: 'Hérault' } as const;
const toulouse = { kind: 'commune', code: '31555', name: 'Toulouse' } as const;
const scope = (places: NoticeScope['places'], more: Partial<NoticeScope> = {}): NoticeScope => ({ services: ['ent'], places, levels: [], audience: 'all', ...more });
const hauteGaronne = scope([{ kind: 'departement', code: '31' }]);

describe('notice targeting', () => {
  test('GIVEN a Haute-Garonne notice THEN a channel following Occitanie gets it and one following Hérault does not', () => {
    assert.equal(subscriptionMatches(sub({ place: occitanie }), hauteGaronne, gazetteer), true);
    assert.equal(subscriptionMatches(sub({ place: herault }), hauteGaronne, gazetteer), false);
  });

  test('GIVEN a channel following Toulouse THEN it gets régional, departmental and national notices, not another région’s', () => {
    const t = sub({ place: toulouse });
    assert.equal(subscriptionMatches(t, scope([{ kind: 'region', code: '76' }]), gazetteer), true);
    assert.equal(subscriptionMatches(t, hauteGaronne, gazetteer), true);
    assert.equal(subscriptionMatches(t, scope([{ kind: 'national', code: 'FR' }]), gazetteer), true);
    assert.equal(subscriptionMatches(t, scope([{ kind: 'academie', code: 'toulouse' }]), gazetteer), true);
    assert.equal(subscriptionMatches(t, scope([{ kind: 'region', code: '32' }]), gazetteer), false);
  });

  test('GIVEN services THEN a channel following all services gets every notice, one following another service none', () => {
    assert.equal(subscriptionMatches(sub({ place: occitanie, service: '*' }), hauteGaronne, gazetteer), true);
    assert.equal(subscriptionMatches(sub({ place: occitanie, service: 'pronote' }), hauteGaronne, gazetteer), false);
    assert.equal(subscriptionMatches(sub({ place: occitanie, service: 'pronote' }), scope([{ kind: 'region', code: '76' }], { services: ['*'] }), gazetteer), true);
  });

  test('GIVEN levels and audiences THEN they must intersect, empty levels and "all" matching everything', () => {
    const lycee = scope([{ kind: 'region', code: '76' }], { levels: ['lycee'] });
    assert.equal(subscriptionMatches(sub({ place: occitanie, levels: ['ecole'] }), lycee, gazetteer), false);
    assert.equal(subscriptionMatches(sub({ place: occitanie, levels: ['ecole', 'lycee'] }), lycee, gazetteer), true);
    assert.equal(subscriptionMatches(sub({ place: occitanie, levels: [] }), lycee, gazetteer), true);
    const staff = scope([{ kind: 'region', code: '76' }], { audience: 'staff' });
    assert.equal(subscriptionMatches(sub({ place: occitanie, audience: 'families' }), staff, gazetteer), false);
    assert.equal(subscriptionMatches(sub({ place: occitanie, audience: 'staff' }), staff, gazetteer), true);
    assert.equal(subscriptionMatches(sub({ place: occitanie, audience: 'all' }), staff, gazetteer), true);
    assert.equal(subscriptionMatches(sub({ place: occitanie, audience: 'families' }), scope([{ kind: 'region', code: '76' }]), gazetteer), true);
  });

  test('GIVEN an inactive subscription THEN it gets nothing', () => {
    assert.equal(subscriptionMatches(sub({ place: occitanie, active: false }), hauteGaronne, gazetteer), false);
  });

  test('GIVEN a channel with two matching subscriptions THEN it is targeted once, with both subscriptions', () => {
    const targets = planTargets(
      [
        sub({ id: '1111111111111111', place: occitanie }),
        sub({ id: '2222222222222222', place: toulouse, service: '*' }),
        sub({ id: '3333333333333333', place: herault, channel: 'C2' }),
        sub({ id: '4444444444444444', place: toulouse, platform: 'discord', workspace: 'G1' }),
      ],
      hauteGaronne,
      gazetteer,
    );
    assert.deepEqual(
      targets.map((t) => [t.platform, t.channel, t.subscriptionIds]),
      [
        ['slack', 'C1', ['1111111111111111', '2222222222222222']],
        ['discord', 'C1', ['4444444444444444']],
      ],
    );
  });

  test('GIVEN targets one workspace after another (Slack T1 ×3, T2 ×1, Discord G1 ×2, and a Discord team also named T1) THEN they are numbered a channel of each workspace, then another of each, in the order the workspaces came, each channel once', () => {
    const t = (platform: Target['platform'], workspace: string, channel: string): Target => ({ platform, workspace, channel, subscriptionIds: [] });
    const spread = spreadWorkspaces([t('slack', 'T1', 'a'), t('slack', 'T1', 'b'), t('slack', 'T1', 'c'), t('slack', 'T2', 'd'), t('discord', 'G1', 'e'), t('discord', 'G1', 'f'), t('discord', 'T1', 'g')]);
    assert.deepEqual(
      spread.map((x) => x.channel),
      ['a', 'd', 'e', 'g', 'b', 'f', 'c'],
    );
  });
});
