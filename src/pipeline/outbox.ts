/**
 * Sends what the store holds as pending, per chat and in order. A message is marked sent only after the
 * transport accepted it. One that fails for a passing reason stays pending (with later ones for that chat held
 * back) until the next flush; one that can never go out is marked failed, with the reason, and skipped.
 */
import type { Logger } from 'pino';
import { PermanentSendError } from '../errors.js';
import type { GroupCommit } from '../store/group-commit.js';
import type { Store } from '../store/store.js';
import type { Transport } from '../transport/transport.js';

export class Outbox {
  constructor(
    private readonly store: Store,
    private readonly commits: GroupCommit,
    private readonly transport: Transport,
    private readonly clock: () => number,
    private readonly log: Logger,
  ) {}

  /** Sends one customer's pending messages; false when a passing failure left some for later. */
  async flush(customerId: number): Promise<boolean> {
    for (const message of this.store.messages.pending(customerId)) {
      try {
        await this.transport.send(message.chatId, message.text, message.waId);
        await this.commits.run(() => this.store.messages.markSent(message.id, this.clock()));
      } catch (error) {
        if (error instanceof PermanentSendError) {
          this.log.error({ messageId: message.waId, chatId: message.chatId }, `message not sent and not retried: ${error.message}`);
          await this.commits.run(() => this.store.messages.markFailed(message.id, error.message));
          continue;
        }
        this.log.warn({ messageId: message.waId, err: error }, 'sending failed; the message stays in the outbox');
        return false;
      }
    }
    return true;
  }
}
