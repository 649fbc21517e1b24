/**
 * "Something changed for this customer", announced after the change is committed to SQLite. The inbox's live
 * updates, the staff notifier and the escalation reminders listen; none of them can hold up the chat.
 */
export type ActivityListener = (customerId: number) => void;

export class Activity {
  private readonly listeners = new Set<ActivityListener>();

  /** Listens until the returned function is called. */
  subscribe(listener: ActivityListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(customerId: number): void {
    for (const listener of this.listeners) listener(customerId);
  }
}
