import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ambiguousCommuneNames, firstNames, ordinaryWords } from '../../src/understand/ambiguous-communes.js';
import { placeIndexFor } from '../../src/understand/place-index.js';
import { sharedReference } from '../helpers/bot.js';
import { FALSE_PLACE_MAX, loadNoPlaceCorpus, scoreNoPlace } from '../corpus/no-place.js';
import { realUnderstander } from './helpers.js';

const reader = realUnderstander();
const where = (text: string) => {
  const q = reader.understand(text);
  return q.place ? `${q.place.kind}:${q.place.code}` : null;
};

describe('words that are not places: the false-place corpus', () => {
  const items = loadNoPlaceCorpus();

  test('GIVEN the corpus THEN it holds at least 2,000 sentences naming no place, French and English', () => {
    assert.ok(items.length >= 2000, `${items.length} sentences`);
    assert.ok(items.filter((i) => i.lang === 'fr').length >= 1000);
    assert.ok(items.filter((i) => i.lang === 'en').length >= 500);
  });

  test(`GIVEN the corpus THEN at most ${FALSE_PLACE_MAX * 100}% of its sentences are read as naming a place`, () => {
    const score = scoreNoPlace(reader, items);
    const shown = score.falsePlaces.slice(0, 20).map((f) => `${f.text} → ${f.place}`);
    assert.ok(score.rate <= FALSE_PLACE_MAX, `${(score.rate * 100).toFixed(2)}% (${score.falsePlaces.length}/${score.total}):\n${shown.join('\n')}`);
  });
});

describe('words that are not places: the examples of issue 13', () => {
  const notPlaces = [
    "l'ENT, personne n'arrive à y accéder",
    'salut, l\'ent, personne n\'arrive a y acceder',
    "à aucun moment l'ENT n'a fonctionné",
    "ça n'a aucun sens",
    'on navigue à vue avec le CNED',
    'on navigue à vue.',
    'en vue des évaluations, le cned marche ?',
    'depuis le 16 mars le cned plante',
    'This ENT is down again',
    'is the ENT down in this school?',
    'in this case what do we do?',
    'at this rate we will never make it',
    'in our school everything is blocked',
    'Sainte mère, encore une panne !',
    'la fête de la Sainte-Catherine est annulée',
    'Nancy, tu peux me dire si pronote fonctionne ?',
    'Mary, do you know if the ENT is up?',
    'merci Nancy pour ton message',
    'hi Nancy, how are you?',
    'demande à Marie si elle a reçu le devoir',
    "j'ai écrit a nancy pour le planning",
    'ask Nancy if she got the homework',
    'Mary and Nancy are in the same class',
    'vers 14 h ça remarche un peu',
    'tout est au vert ?',
    'le nord du bâtiment n\'a pas de wifi',
    'le centre de documentation est fermé',
    'in place of the video lesson we read books',
  ];
  for (const text of notPlaces) {
    test(`GIVEN "${text}" THEN no place`, () => {
      assert.equal(where(text), null);
    });
  }

  const places: [string, string][] = [
    ['Nîmes', 'commune:30189'],
    ['à Lille', 'commune:59350'],
    ['30000', 'commune:30189'],
    ['le 93', 'departement:93'],
    ['académie de Toulouse', 'academie:toulouse'],
    // Names that are words still count with a cue: "à"/"sur"/"in" and a capital, a code, a service name before them.
    ["l'ENT à Vue ?", 'commune:44220'],
    ['Vue 44640', 'commune:44220'],
    ['ent vue', 'commune:44220'],
    ['à Y (80)', 'commune:80829'],
    ['le cned à This ?', 'commune:08450'],
    ['ENT en panne à Aucun (65)', 'commune:65045'],
    ['ENT à Sainte-Mère ?', 'commune:32395'],
    // A town big enough to be the likely meaning may be written in lower case after a cue.
    ["l'ent a gap ?", 'commune:05061'],
    ["l'ent à nice ?", 'commune:06088'],
    // First names that are towns: with a cue, or after a service name.
    ["l'ENT à Nancy ?", 'commune:54395'],
    ['ENT sur Nancy ?', 'commune:54395'],
    ['pronote nancy en panne ?', 'commune:54395'],
    ['ENT Nancy', 'commune:54395'],
    ['l\'ent dans le nord ?', 'departement:59'],
  ];
  for (const [text, place] of places) {
    test(`GIVEN "${text}" THEN place ${place}`, () => {
      assert.equal(where(text), place);
    });
  }
});

describe('words that are not places: the list is derived from the data', () => {
  test('GIVEN official names and word lists THEN names made of words, short names and first names need a cue, big cities do not', () => {
    const communes = [
      { name: 'Vue', population: 1753 },
      { name: 'Sainte-Mère', population: 200 },
      { name: 'Le Port', population: 33969 },
      { name: 'Bordeaux', population: 267991 },
      { name: 'Oo', population: 120 },
      { name: 'Pau', population: 75665 },
      { name: 'Nancy', population: 103671 },
      { name: 'Lapalud', population: 4000 },
    ];
    const words = new Set(['vue', 'sainte', 'mere', 'le', 'port', 'bordeaux']);
    const names = ambiguousCommuneNames(communes, words, new Set(['nancy']));
    assert.deepEqual([...names].sort(), ['le port', 'nancy', 'oo', 'sainte mere', 'vue']);
  });

  test('GIVEN the shipped word lists THEN the communes of the issue need a cue and big cities whose name is no word do not', () => {
    const { gazetteer } = sharedReference();
    const names = ambiguousCommuneNames(gazetteer.communes);
    for (const n of ['y', 'vue', 'mars', 'this', 'aucun', 'our', 'sainte mere', 'nancy', 'marie', 'mary', 'nice', 'tours']) assert.ok(names.has(n), n);
    for (const n of ['paris', 'lille', 'nimes', 'toulouse', 'bordeaux', 'saint denis', 'montpellier']) assert.ok(!names.has(n), n);
    assert.ok(ordinaryWords().has('aucun') && ordinaryWords().has('this'));
    assert.ok(firstNames().has('nancy'));
  });

  test('GIVEN the place index THEN every commune named by a derived name is flagged as needing a cue', () => {
    const { gazetteer } = sharedReference();
    const names = ambiguousCommuneNames(gazetteer.communes);
    const index = placeIndexFor(gazetteer);
    for (const name of names) {
      const communes = (index.exact(name) ?? []).filter((e) => e.ref.kind === 'commune');
      assert.ok(communes.length > 0 && communes.every((e) => e.needsCue), name);
    }
  });
});
