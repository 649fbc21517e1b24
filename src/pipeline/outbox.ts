/**
 * Sends what the store holds as pending, per chat and in order. A message is marked sent only after the
 * transport accepted it. One that fails for a passing reason stays pending (with later ones for that chat held
 * back) until the next flush; one that can never go out is marked failed, with the reason, and skipped.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { PermanentSendError } from '../errors.js';
import type { GroupCommit } from '../store/group-commit.js';
import type { StoredMessage } from '../store/messages.js';
import type { Store } from '../store/store.js';
import type { MediaToSend, Transport } from '../transport/transport.js';

export class Outbox {
  constructor(
    private readonly store: Store,
    private readonly commits: GroupCommit,
    private readonly transport: Transport,
    private readonly clock: () => number,
    private readonly log: Logger,
    /** The shop's folder: pictures and files are stored relative to it (data/photos/x.jpg). */
    private readonly mediaRoot: string,
  ) {}

  /** Sends one customer's pending messages; false when a passing failure left some for later. */
  async flush(customerId: number): Promise<boolean> {
    for (const message of this.store.messages.pending(customerId)) {
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
        return false;
      }
    }
    return true;
  }

  /** The file a message carries; one deleted since the flows were checked costs the picture, never the caption. */
  private mediaOf(message: StoredMessage): MediaToSend | undefined | 'vanished' {
    if (!message.mediaPath) return undefined;
    const file = resolve(this.mediaRoot, message.mediaPath);
    if (!existsSync(file)) {
      this.log.error({ messageId: message.waId, file: message.mediaPath }, 'the file to send is gone; sending the caption as text');
      return 'vanished';
    }
    return { kind: message.kind === 'document' ? 'document' : 'image', path: message.mediaPath, file };
  }
}
