import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { realUnderstander } from './helpers.js';

const u = realUnderstander();
const read = (text: string) => u.understand(text, {});

// A five-digit number is a postal code when it is given as a place, not when it counts
// people or names an error: "30000 élèves" is not Nîmes, "erreur 10000" is not Troyes.
describe('understand: five-digit numbers that are not postal codes', () => {
  const counts = [
    "l'ENT a planté pour 30000 élèves en Occitanie",
    '20000 connexions en même temps sur le CNED, ça tient ?',
    'Pronote affiche erreur 10000',
    'more than 50000 students cannot reach the CNED',
    'CNED : code 20000 à la connexion',
  ];
  for (const text of counts) {
    test(`GIVEN "${text}" THEN no commune is read from the number`, () => {
      const q = read(text);
      assert.notEqual(q.place?.kind, 'commune', `${q.place?.name}`);
    });
  }

  test('GIVEN postal codes given as places THEN they still read as their commune', () => {
    for (const [text, name] of [['ENT 31000 ?', 'Toulouse'], ['Pronote 59000 marche pas', 'Lille'], ['pronote (59000) ?', 'Lille'], ['CNED à 13001 ?', 'Marseille'], ['pronote marche à 31000 ?', 'Toulouse']] as const) {
      assert.equal(read(text).place?.name, name, text);
    }
  });

  test('GIVEN a postal code that belongs to no commune after "à"/"in" THEN it is an unknown place, not the whole country', () => {
    for (const text of ['ENT à 99999 ?', 'is the ENT down in 00000?', 'CNED code postal 99999']) {
      const q = read(text);
      assert.equal(q.place, null, text);
      assert.match(q.unknownPlace ?? '', /^(99999|00000)$/, text);
    }
  });

  test('GIVEN a département number that does not exist after "dans le"/"département"/"in the" THEN it is an unknown place, not the whole country', () => {
    for (const [text, number] of [
      ['ENT dans le 99 ?', '99'],
      ['is the ENT down in the 96?', '96'],
      ['CNED département 00 ?', '00'],
      ['le cned dans le 98 ça marche ?', '98'],
    ] as const) {
      const q = read(text);
      assert.equal(q.place, null, text);
      assert.equal(q.unknownPlace, number, text);
    }
    // Existing départements still read as places; numbers that count something are no place.
    assert.equal(read('ENT dans le 2A ?').place?.code, '2A');
    assert.equal(read('ENT dans le 974 ?').place?.code, '974');
    for (const text of ['ENT en panne dans le 10 minutes', "c'est dans le 12 ans"]) {
      assert.equal(read(text).unknownPlace, null, text);
    }
  });
});
