/**
 * Deliveries held back because the platform refuses the bot itself (a revoked or rotated
 * token, a missing scope): per workspace, or for the whole platform. A pause is never a
 * channel's fault; the dispatcher checks the token again at `nextCheckAt` and lifts it.
 */
import type { Db } from './sql/connect.js';

/** A pause in effect. */
export interface PlatformPause {
  platform: string;
  /** '' for the whole platform. */
  workspace: string;
  reason: string;
  since: string;
  nextCheckAt: string;
}

/** Pauses kept in the database, so every instance and `vigie health` see them. */
export interface PauseRepository {
  list(): Promise<PlatformPause[]>;
  /** Pauses (or keeps paused, with the new reason and check time); `since` stays the first one. */
  set(pause: PlatformPause): Promise<void>;
  /** Lifts a pause; false when there was none. */
  lift(platform: string, workspace: string): Promise<boolean>;
}

/** Pauses kept in a database. */
export function createPauseRepository(db: Db): PauseRepository {
  const k = db.kysely;
  return {
    async list() {
      const rows = await k.selectFrom('platform_pauses').selectAll().orderBy('since').execute();
      return rows.map((r) => ({ platform: r.platform, workspace: r.workspace, reason: r.reason, since: r.since, nextCheckAt: r.next_check_at }));
    },
    async set(p) {
      await k
        .insertInto('platform_pauses')
        .values({ platform: p.platform, workspace: p.workspace, reason: p.reason, since: p.since, next_check_at: p.nextCheckAt })
        .onConflict((oc) => oc.columns(['platform', 'workspace']).doUpdateSet({ reason: p.reason, next_check_at: p.nextCheckAt }))
        .execute();
    },
    async lift(platform, workspace) {
      const result = await k.deleteFrom('platform_pauses').where('platform', '=', platform).where('workspace', '=', workspace).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
