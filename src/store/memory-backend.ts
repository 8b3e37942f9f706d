/**
 * The in-process backend (`memory://`): one Map per namespace, gone when the process ends.
 * For quick runs and demos; the store's own tests use a real SQLite file.
 */
import Keyv from 'keyv';
import { StoreError } from '../errors.js';
import { checkNamespace, sequenceKey, serializeEnvelope, type Backend, type RawRecord } from './backend.js';

/** Creates an empty in-memory backend. */
export function openMemoryBackend(): Backend {
  const maps = new Map<string, Map<string, string>>();
  const keyvs = new Map<string, Keyv>();
  // Appends are serialized so numbering stays gap-free even with concurrent callers.
  let appending: Promise<unknown> = Promise.resolve();
  let closed = false;

  const mapOf = (namespace: string): Map<string, string> => {
    if (closed) throw new StoreError('the store memory:// is closed');
    checkNamespace(namespace);
    let map = maps.get(namespace);
    if (!map) {
      map = new Map();
      maps.set(namespace, map);
    }
    return map;
  };

  const backend: Backend = {
    description: 'memory://',
    keyv(namespace) {
      const map = mapOf(namespace);
      let keyv = keyvs.get(namespace);
      if (!keyv) {
        keyv = new Keyv({ store: map, namespace, throwOnErrors: true });
        keyvs.set(namespace, keyv);
      }
      return keyv;
    },
    async getRaw(namespace, key) {
      return mapOf(namespace).get(`${namespace}:${key}`);
    },
    async entries(namespace) {
      const prefix = `${namespace}:`;
      const out: RawRecord[] = [];
      for (const [key, raw] of mapOf(namespace)) {
        if (key.startsWith(prefix) && typeof raw === 'string') out.push({ key: key.slice(prefix.length), raw });
      }
      return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },
    async appendSequenced(namespace, value) {
      const map = mapOf(namespace);
      const keyv = backend.keyv(namespace);
      const run = appending.then(async () => {
        let last = 0;
        for (const key of map.keys()) {
          const n = Number(key.slice(namespace.length + 1));
          if (Number.isInteger(n) && n > last) last = n;
        }
        const seq = last + 1;
        map.set(`${namespace}:${sequenceKey(seq)}`, await serializeEnvelope(keyv, { ...value, seq }));
        return seq;
      });
      appending = run.catch(() => undefined);
      return run;
    },
    async close() {
      closed = true;
    },
  };
  return backend;
}
