import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { httpUrlSchema, issueLines, parseHttpUrl, salvage, URL_MAX } from '../../src/content/validation.js';
import { createTemplates } from '../../src/content/templates.js';
import { loadContent } from '../../src/content/load.js';

const templates = createTemplates(loadContent().messages);

describe('web addresses, validated once in the core', () => {
  test('GIVEN well-formed http(s) addresses THEN they are kept in canonical form', () => {
    assert.equal(parseHttpUrl('https://www.ac-toulouse.fr/actualites'), 'https://www.ac-toulouse.fr/actualites');
    assert.equal(parseHttpUrl('  HTTPS://Education.gouv.fr  '), 'https://education.gouv.fr/');
    assert.equal(parseHttpUrl('https://ent.example/a?b=1&c=%20d#x'), 'https://ent.example/a?b=1&c=%20d#x');
  });
  test('GIVEN a space, <, >, quotes, controls, credentials, another scheme, no host or too long THEN refused', () => {
    const bad = [
      'https://www.ac-toulouse.fr/actualites covid',
      'https://evil.example/<script>',
      'https://a.fr/>x',
      'https://a.fr/"x',
      'https://a.fr/\tx',
      'https://a.fr/\u0000',
      'https://gouv.fr@evil.example/',
      'https://user:pw@a.fr/',
      'javascript:alert(1)',
      'ftp://a.fr/x',
      'data:text/html,x',
      'www.a.fr',
      '/relative',
      'https://',
      '',
      `https://a.fr/${'x'.repeat(URL_MAX)}`,
    ];
    for (const url of bad) assert.equal(parseHttpUrl(url), null, url);
    assert.equal(httpUrlSchema.safeParse('https://www.ac-toulouse.fr/actualites covid').success, false);
  });
});

describe('zod problems in the admin language', () => {
  const schema = z.strictObject({ text: z.string().min(1).max(5), level: z.enum(['ecole', 'college']), url: httpUrlSchema.optional(), list: z.array(z.string()).max(1) });
  test('GIVEN every kind of problem THEN one line each, naming the field, in French or English, without zod English in French', () => {
    const parsed = schema.safeParse({ text: '', level: 'fac', url: 'https://a b', list: ['a', 'b'], extra: 1 }, { reportInput: true });
    assert.equal(parsed.success, false);
    if (parsed.success) return;
    const fr = issueLines(parsed.error, 'fr', templates, 'form');
    assert.deepEqual(fr, [
      'text : ne doit pas être vide',
      'level : une de ces valeurs est attendue : ecole, college',
      'url : une adresse web complète est attendue (https://…), sans espace ni caractère < > " et d\'au plus 2 048 caractères',
      'list : au plus 1 élément(s)',
      'form : champ(s) inconnu(s) : extra',
    ]);
    const en = issueLines(parsed.error, 'en', templates, 'form', (f) => (f === 'level' ? null : `x.${f}`));
    assert.equal(en.length, 4, 'a field the caller leaves out is dropped');
    assert.equal(en[0], 'x.text: must not be empty');
  });
  test('GIVEN a missing required field or a wrong type THEN "required" or what type is expected', () => {
    const parsed = schema.safeParse({ text: 3, list: 'a' }, { reportInput: true });
    assert.ok(!parsed.success);
    if (parsed.success) return;
    const lines = issueLines(parsed.error, 'en', templates, 'form');
    assert.ok(lines.includes('text: a text is expected'));
    assert.ok(lines.includes('level: this field is required'));
    assert.ok(lines.includes('list: a list is expected'));
  });
  test('GIVEN input zod refused THEN salvage keeps the rest for the later checks, filling what is required', () => {
    const raw = { text: '', level: 'ecole', list: ['a', 'b'], extra: 1 };
    const parsed = schema.safeParse(raw, { reportInput: true });
    assert.ok(!parsed.success);
    if (parsed.success) return;
    assert.deepEqual(salvage(schema.partial({ list: true }), raw, parsed.error.issues, { text: '-' }), { text: '-', level: 'ecole' });
    assert.equal(salvage(schema, 'not an object', parsed.error.issues, {}), null);
  });
});
