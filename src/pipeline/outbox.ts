/**
 * Sends what the store holds as pending, per chat and in order. A message is marked sent only after the
 * transport accepted it. One that fails for a passing reason stays pending (with later ones for that chat held
 * back) until the next flush; one that can never go out is marked failed, with the reason, and skipped.
 *
 * A turn hands over the replies it just queued (and committed), so they are not read back from the store; the
 * store is read instead for a customer who may have older ones pending: after a passing failure, or left by an
 * earlier run of the bot.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { PermanentSendError } from '../errors.js';
import type { GroupCommit } from '../store/group-commit.js';
import type { StoredMessage } from '../store/messages.js';
import type { Store } from '../store/store.js';
import type { MediaToSend, Transport } from '../transport/transport.js';

/** What sending a message needs: a pending message as stored, or as the turn that queued it knows it. */
export type Outgoing = Pick<StoredMessage, 'id' | 'waId' | 'chatId' | 'kind' | 'text' | 'mediaPath'>;

export class Outbox {
  /** Customers who may have pending messages that no turn handed over. */
  private readonly behind: Set<number>;

  constructor(
    private readonly store: Store,
    private readonly commits: GroupCommit,
    private readonly transport: Transport,
    private readonly clock: () => number,
    private readonly log: Logger,
    /** The shop's folder: pictures and files are stored relative to it (data/photos/x.jpg). */
    private readonly mediaRoot: string,
  ) {
    this.behind = new Set(store.messages.chatsWithPending().map(({ customerId }) => customerId));
  }

  /**
   * Sends one customer's pending messages; false when a passing failure left some for later. `queued`: the
   * messages a turn just committed for the customer, when it queued no others.
   */
  async flush(customerId: number, queued?: Outgoing[]): Promise<boolean> {
    const messages = queued && !this.behind.has(customerId) ? queued : this.store.messages.pending(customerId);
    for (const message of messages) {
      try {
        const media = this.mediaOf(message);
        if (media === 'vanished' && !message.text) throw new PermanentSendError(`the file ${message.mediaPath} is gone and there is no caption to send instead`);
        await this.transport.send(message.chatId, message.text, message.waId, media === 'vanished' ? undefined : media);
        await this.commits.run(() => this.store.messages.markSent(message.id, this.clock()));
      } catch (error) {
        if (error instanceof PermanentSendError) {
          this.log.error({ messageId: message.waId, chatId: message.chatId }, `message not sent and not retried: ${error.message}`);
          await this.commits.run(() => this.store.messages.markFailed(message.id, error.message));
          continue;
        }
        this.log.warn({ messageId: message.waId, err: error }, 'sending failed; the message stays in the outbox');
        this.behind.add(customerId);
        return false;
      }
    }
    this.behind.delete(customerId);
    return true;
  }

  /** The file a message carries; one deleted since the flows were checked costs the picture, never the caption. */
  private mediaOf(message: Outgoing): MediaToSend | undefined | 'vanished' {
    if (!message.mediaPath) return undefined;
    const file = resolve(this.mediaRoot, message.mediaPath);
    if (!existsSync(file)) {
      this.log.error({ messageId: message.waId, file: message.mediaPath }, 'the file to send is gone; sending the caption as text');
      return 'vanished';
    }
    return { kind: message.kind === 'document' ? 'document' : 'image', path: message.mediaPath, file };
  }
}
