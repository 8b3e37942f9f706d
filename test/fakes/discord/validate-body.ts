/**
 * What Discord refuses in a message body, so the fake refuses it too (400, code 50035 "Invalid
 * Form Body", as Discord answers): embed limits (title 256, description 4,096, 25 fields of
 * 256 + 1,024, footer 2,048, 10 embeds, 6,000 characters across all of a message's embeds),
 * embed URLs that are not well-formed http(s) addresses, content over 2,000 characters,
 * button labels over 80 and custom ids over 100 characters, autocomplete choices (25, names
 * 1–100), modal titles and labels over 45 characters and values longer than their max_length.
 * Returns the problems found (empty: Discord would accept it).
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' ? v : '');

function wellFormedUrl(value: unknown): boolean {
  if (typeof value !== 'string' || /\s/.test(value)) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function checkEmbeds(embeds: unknown, problems: string[]): void {
  if (!Array.isArray(embeds)) return;
  if (embeds.length > 10) problems.push('embeds: more than 10');
  let total = 0;
  embeds.forEach((e, i) => {
    if (!isObject(e)) return;
    const at = `embeds[${i}]`;
    const title = str(e.title);
    const description = str(e.description);
    const footer = isObject(e.footer) ? str(e.footer.text) : '';
    if (title.length > 256) problems.push(`${at}.title: over 256`);
    if (description.length > 4096) problems.push(`${at}.description: over 4096`);
    if (footer.length > 2048) problems.push(`${at}.footer.text: over 2048`);
    if (e.url !== undefined && !wellFormedUrl(e.url)) problems.push(`${at}.url: not a well formed URL`);
    total += title.length + description.length + footer.length;
    const fields = Array.isArray(e.fields) ? e.fields : [];
    if (fields.length > 25) problems.push(`${at}.fields: more than 25`);
    fields.forEach((f, j) => {
      if (!isObject(f)) return;
      const name = str(f.name);
      const value = str(f.value);
      if (name.length === 0 || name.length > 256) problems.push(`${at}.fields[${j}].name: length ${name.length}`);
      if (value.length === 0 || value.length > 1024) problems.push(`${at}.fields[${j}].value: length ${value.length}`);
      total += name.length + value.length;
    });
  });
  if (total > 6000) problems.push(`embeds: ${total} characters, over 6000`);
}

function checkComponents(components: unknown, problems: string[]): void {
  if (!Array.isArray(components)) return;
  for (const row of components) {
    if (!isObject(row) || !Array.isArray(row.components)) continue;
    for (const c of row.components) {
      if (!isObject(c)) continue;
      if (c.custom_id !== undefined && (str(c.custom_id).length === 0 || str(c.custom_id).length > 100)) problems.push(`custom_id: length ${str(c.custom_id).length}`);
      if (c.type === 2 && str(c.label).length > 80) problems.push('button label: over 80');
      if (c.type === 2 && c.url !== undefined && !wellFormedUrl(c.url)) problems.push('button url: not a well formed URL');
      if (c.type === 4) {
        if (str(c.label).length > 45) problems.push('text input label: over 45');
        const max = typeof c.max_length === 'number' ? c.max_length : 4000;
        if (str(c.value).length > max) problems.push(`text input value: over its max_length ${max}`);
      }
    }
  }
}

/** Problems in a message body (channel message, webhook edit or follow-up, or callback data). */
export function messageProblems(body: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(body)) return problems;
  if (str(body.content).length > 2000) problems.push('content: over 2000');
  checkEmbeds(body.embeds, problems);
  checkComponents(body.components, problems);
  return problems;
}

/** Problems in an interaction callback (`{ type, data }`). */
export function callbackProblems(body: unknown): string[] {
  if (!isObject(body) || !isObject(body.data)) return [];
  const data = body.data;
  if (body.type === 8) {
    const choices = Array.isArray(data.choices) ? data.choices : [];
    const problems = choices.length > 25 ? ['choices: more than 25'] : [];
    for (const c of choices) if (isObject(c) && (str(c.name).length === 0 || str(c.name).length > 100 || str(c.value).length > 100)) problems.push('choice: name or value length');
    return problems;
  }
  if (body.type === 9) {
    const problems = str(data.title).length > 45 ? ['modal title: over 45'] : [];
    return [...problems, ...messageProblems(data)];
  }
  return messageProblems(data);
}

/** Discord's answer to an invalid body. */
export function invalidFormBody(problems: string[]): { status: number; data: unknown } {
  return { status: 400, data: { code: 50035, message: 'Invalid Form Body', errors: { _errors: problems.map((p) => ({ code: 'BASE_TYPE_INVALID', message: p })) } } };
}
