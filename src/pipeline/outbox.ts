/**
 * Sends what the store holds as pending, per chat and in order. A message is marked sent only after the
 * transport accepted it; one that fails stays pending (with later ones for that chat held back) until the next flush.
 */
import type { Logger } from 'pino';
import type { Store } from '../store/store.js';
import type { Transport } from '../transport/transport.js';

export class Outbox {
  constructor(
    private readonly store: Store,
    private readonly transport: Transport,
    private readonly clock: () => number,
    private readonly log: Logger,
  ) {}

  /** Sends one customer's pending messages; returns how many went out. */
  async flush(customerId: number): Promise<number> {
    let sent = 0;
    for (const message of this.store.messages.pending(customerId)) {
      try {
        await this.transport.send(message.chatId, message.text, message.waId);
      } catch (error) {
        this.log.warn({ messageId: message.waId, err: error }, 'sending failed; the message stays in the outbox');
        break;
      }
      this.store.messages.markSent(message.id, this.clock());
      sent++;
    }
    return sent;
  }
}
