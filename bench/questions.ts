/**
 * Realistic questions for the benchmark: the ways teachers and parents write on a crisis
 * morning, over real places, in French (about 70%) and English.
 */
import type { Gazetteer } from '../src/places/gazetteer.js';

const FR = [
  "l'ENT est en panne {in} ?",
  'pronote marche pas {in}',
  'le cned fonctionne ce matin {in} ?',
  'ma classe a la maison est down ??',
  'la visio du college plante {in}',
  'quand est-ce que l ent revient {in}',
  'pourquoi le cned ne marche pas',
  'on fait quoi en attendant pour les devoirs ?',
  "et au lycée de mon fils {in} ?",
  'connexion internet tres lente {in}',
  'educonnect impossible de se connecter',
  "c'est quoi le probleme avec l'espace numerique de travail {in}",
];
const EN = [
  'is Pronote down {in}?',
  'cned not working this morning',
  'when will the ENT be back {in}?',
  'why is the virtual classroom down',
  'what should we do meanwhile?',
  "I can't log in to educonnect",
];

/** `count` questions, 70% French, naming places by commune, département, région or postal code. */
export function makeQuestions(gazetteer: Gazetteer, count: number, random: () => number): string[] {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const big = gazetteer.communes.filter((c) => c.population > 20_000);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const fr = random() < 0.7;
    const r = random();
    let place: string;
    if (r < 0.35) place = fr ? `à ${pick(big).name}` : `in ${pick(big).name}`;
    else if (r < 0.55) place = fr ? `dans le ${pick(gazetteer.departements).code}` : `in ${pick(gazetteer.departements).name}`;
    else if (r < 0.75) place = fr ? `en ${pick(gazetteer.regions).name}` : `in ${pick(gazetteer.regions).name}`;
    else if (r < 0.85) place = `${pick(big).postalCodes[0] ?? ''}`;
    else place = '';
    out.push(pick(fr ? FR : EN).replace('{in}', place).trim());
  }
  return out;
}
