/** Runs tasks one at a time per chat, in arrival order; different chats run concurrently. */
export class ChatQueue {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(chatId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(chatId) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(chatId, tail);
    void tail.then(() => {
      if (this.tails.get(chatId) === tail) this.tails.delete(chatId);
    });
    return result;
  }

  /** Whether a task of this chat is running or waiting. */
  busy(chatId: string): boolean {
    return this.tails.has(chatId);
  }

  /** Resolves when every task queued so far has finished. */
  async idle(): Promise<void> {
    while (this.tails.size) await Promise.all(this.tails.values());
  }
}
