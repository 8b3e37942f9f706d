/**
 * A bounded memo of values made from a text under a few options (a language hint, a length):
 * kept per option value, then per text, so a lookup makes no key string per text. On a crisis
 * morning the same few texts come back again and again; once `max` values are kept, the whole
 * memo starts over (anything rarer is cheap enough to make again).
 */
export class NestedMemo<Outer, Inner, Value> {
  private readonly byOuter = new Map<Outer, Map<Inner, Value>>();
  private size = 0;

  constructor(private readonly max: number) {}

  get(outer: Outer, inner: Inner): Value | undefined {
    return this.byOuter.get(outer)?.get(inner);
  }

  set(outer: Outer, inner: Inner, value: Value): void {
    if (this.size >= this.max) {
      this.byOuter.clear();
      this.size = 0;
    }
    let forOuter = this.byOuter.get(outer);
    if (!forOuter) {
      forOuter = new Map();
      this.byOuter.set(outer, forOuter);
    }
    forOuter.set(inner, value);
    this.size++;
  }
}
