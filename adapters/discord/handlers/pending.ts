/**
 * Admin forms between steps (command options → modal → preview → confirm), kept in memory
 * under a random id carried by the modal and the buttons. Bounded: the oldest go first.
 */
import { randomUUID } from 'node:crypto';

/** One admin's form in progress. */
export interface PendingForm {
  user: string;
  /** The AdminIncidentInput being built. */
  input: Record<string, unknown>;
  /** Publish as an official notice to subscribed channels (bot.publishNotice) rather than only apply. */
  notify?: boolean;
}

/** Forms in progress. */
export class PendingForms {
  private readonly forms = new Map<string, PendingForm>();

  constructor(private readonly max = 200) {}

  /** Keeps a form; returns its id (safe in a custom id). */
  add(form: PendingForm): string {
    const id = randomUUID().replace(/-/g, '').slice(0, 16);
    this.forms.set(id, form);
    if (this.forms.size > this.max) this.forms.delete(this.forms.keys().next().value!);
    return id;
  }

  /** The form, if it exists and belongs to this user. */
  get(id: string, user: string): PendingForm | null {
    const form = this.forms.get(id);
    return form && form.user === user ? form : null;
  }

  delete(id: string): void {
    this.forms.delete(id);
  }
}
