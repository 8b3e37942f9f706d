import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openStore } from '../../src/store/index.js';
import { makeIncident } from './helpers.js';
import { describeStores, freshStoreUrl } from '../helpers/stores.js';

const worker = fileURLToPath(new URL('./append-worker.ts', import.meta.url));

/** Runs the worker in its own Node process; resolves with the audit numbers it got. */
function runWorker(url: string, count: number, tag: string): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', worker, url, String(count), tag], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(out) as number[]);
      else reject(new Error(`worker ${tag} exited with ${code}: ${err}`));
    });
  });
}

describeStores('store: two users of one store', (kind) => {
  test('GIVEN two stores open on the same file THEN each sees what the other writes', async () => {
    const { url, cleanup } = await freshStoreUrl(kind);
    const bot = await openStore(url);
    const cli = await openStore(url);
    try {
      await cli.incidents.put(makeIncident({ id: 'from-cli' }));
      assert.equal((await bot.incidents.get('from-cli'))?.id, 'from-cli');
      await bot.subscriptions.add({
        platform: 'discord',
        workspace: 'G1',
        channel: '42',
        service: 'cned',
        place: { kind: 'national', code: 'FR', name: 'France' },
        createdBy: 'parent',
      });
      assert.equal((await cli.subscriptions.listAll()).length, 1);
      assert.equal(await bot.incidents.delete('from-cli'), true);
      assert.equal(await cli.incidents.get('from-cli'), null);
    } finally {
      await bot.close();
      await cli.close();
      await cleanup();
    }
  });

  test('GIVEN two stores appending to the audit log at once THEN every entry gets its own number, none lost', async () => {
    const { url, cleanup } = await freshStoreUrl(kind);
    const a = await openStore(url);
    const b = await openStore(url);
    try {
      const appended = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          (i % 2 === 0 ? a : b).audit.append({ actor: { platform: 'cli', user: `u${i}` }, action: 'x', outcome: 'ok' }),
        ),
      );
      const seqs = appended.map((e) => e.seq).sort((x, y) => x - y);
      assert.deepEqual(seqs, Array.from({ length: 40 }, (_, i) => i + 1));
      assert.equal((await b.audit.list({ limit: 1000 })).length, 40);
    } finally {
      await a.close();
      await b.close();
      await cleanup();
    }
  });

  test('GIVEN two other processes writing while this one reads THEN all writes land with distinct audit numbers', async () => {
    const { url, cleanup } = await freshStoreUrl(kind);
    const reader = await openStore(url);
    try {
      const [first, second] = await Promise.all([runWorker(url, 30, 'bot'), runWorker(url, 30, 'cli'), reader.incidents.list()]);
      const all = [...first, ...second].sort((x, y) => x - y);
      assert.deepEqual(all, Array.from({ length: 60 }, (_, i) => i + 1));
      assert.equal(await reader.incidents.count(), 60);
      assert.equal((await reader.audit.list({ limit: 1000 })).length, 60);
    } finally {
      await reader.close();
      await cleanup();
    }
  });
});
