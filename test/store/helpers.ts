/** Shared by the store tests: a temp SQLite file, a logger that remembers, an incident. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../src/base/logger.js';
import type { Incident } from '../../src/incidents/schema.js';

/** A fresh folder under the OS temp dir, and a way to remove it. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-store-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A logger that keeps what it was told. */
export function recordingLogger(): Logger & { warnings: { message: string; fields?: Record<string, unknown> }[] } {
  const warnings: { message: string; fields?: Record<string, unknown> }[] = [];
  return {
    warnings,
    debug() {},
    info() {},
    warn(message, fields) {
      warnings.push({ message, ...(fields ? { fields } : {}) });
    },
    error(message, fields) {
      warnings.push({ message, ...(fields ? { fields } : {}) });
    },
  };
}

/** A valid incident; `overrides` changes any field. */
export function makeIncident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: 'ent-occitanie',
    service: 'ent',
    scope: { places: [{ kind: 'region', code: '76' }], levels: ['college', 'lycee'] },
    title: { fr: 'ENT très lent en Occitanie', en: 'ENT very slow in Occitanie' },
    status: 'major_outage',
    phase: 'identified',
    cause: 'overload',
    startedAt: '2020-03-17T08:00:00+01:00',
    resolvedAt: null,
    expectedRecovery: null,
    advice: { fr: 'Réessayez plus tard.', en: 'Try again later.' },
    updates: [
      {
        at: '2020-03-17T08:00:00+01:00',
        status: 'major_outage',
        phase: 'identified',
        text: { fr: 'Surcharge du prestataire.', en: 'The provider is overloaded.' },
        source: { name: 'Région Occitanie' },
      },
    ],
    ...overrides,
  };
}
