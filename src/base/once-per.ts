/**
 * A value made once per key object and kept as long as the key lives (a WeakMap): what every
 * bot would otherwise build again from the same read-only data (the gazetteer's indexes, the
 * content's templates, the shipped models). The values must only ever be read.
 */
export interface OncePer<K extends object, V> {
  /** The value of `key`, made at the first call. */
  (key: K): V;
  /** Keeps `value` as the value of `key` (one made elsewhere, e.g. read from a snapshot). */
  remember(key: K, value: V): V;
}

export function oncePer<K extends object, V>(make: (key: K) => V): OncePer<K, V> {
  const values = new WeakMap<K, V>();
  const get = (key: K): V => {
    if (values.has(key)) return values.get(key)!;
    const value = make(key);
    values.set(key, value);
    return value;
  };
  return Object.assign(get, {
    remember(key: K, value: V): V {
      values.set(key, value);
      return value;
    },
  });
}
