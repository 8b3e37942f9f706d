/**
 * The contract between the core's alert desk (which decides when an alert is posted, edited
 * and ended, and what it says) and the platforms that show alerts in an operators' channel
 * (VIGIE_SLACK_ALERT_CHANNEL, VIGIE_DISCORD_ALERT_CHANNEL). One alert per group of related
 * crowd episodes (or per failing probe with no crowd episode beside it), posted once and
 * edited in place as it grows and when it ends (#15, item 6).
 *
 * The core words the alert (French for operators by default, templates in content/messages);
 * a platform only lays the words out, escapes every text (sample texts are people's own
 * words: they may hold pings, links, markup) and adds the "Ouvrir un incident" button, whose
 * press opens the platform's admin incident form pre-filled with `prefill`.
 */
import type { Cause, Language, Status } from '../base/types.js';

/** What an alert says, ready to lay out. Texts are plain (unescaped): the platform escapes. */
export interface AlertWording {
  language: Language;
  /** One line: strength, services, places ("Signalements en hausse : ENT · Occitanie, Normandie"). */
  title: string;
  /** Facts, one per line: counts, first seen, top places, probe states, "Terminé à …" once ended. */
  lines: string[];
  /** Up to three report texts (masked at storage), as people wrote them; escaped by the platform. */
  samples: string[];
  /** Said under the facts: crowd signals are not an official status. */
  caveat: string;
  /** The button's label ("Ouvrir un incident"); absent once the alert has ended. */
  openIncidentLabel?: string;
}

/** What the "Ouvrir un incident" button pre-fills in the admin form (AdminIncidentInput fields). */
export interface AlertPrefill {
  service: string;
  /** Places as "kind:code" (e.g. "region:76", "departement:30"), as the admin form takes them. */
  places: string[];
  status: Status;
  cause: Cause;
}

/** One alert as the desk hands it to platforms. */
export interface SignalAlert {
  /** Stable for the alert's life (a group id, or "probe:<probe>@<since ISO>"). */
  id: string;
  state: 'open' | 'ended';
  /** Grows at every change of what it says; a platform may skip an edit for a revision it already shows. */
  revision: number;
  wording: AlertWording;
  prefill: AlertPrefill;
}

/** A platform's side: posts and edits alert messages in its configured alert channel. */
export interface AlertSink {
  /** The platform's registered name ("slack", "discord"). */
  readonly platform: string;
  /** Posts the alert; resolves with the message's id on the platform (Slack ts, Discord message id). */
  post(alert: SignalAlert): Promise<{ messageId: string }>;
  /** Replaces the message's content with the alert's (same id). */
  edit(messageId: string, alert: SignalAlert): Promise<void>;
}
