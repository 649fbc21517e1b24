/**
 * Customers' photos and files, kept: an inbound image or document is fetched from WhatsApp and stored in the shop
 * folder as `data/media/inbound/<message id>.<ext>`, so staff see it in the transcript (served by /media/*).
 * Fetching is best effort: a failure or a file over the size limit costs the picture, never the message (it is
 * recorded with its caption, and the log says why). The same message delivered again finds its file kept.
 */
import { normalizeMessageContent, type WAMessage } from '@whiskeysockets/baileys';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import type { Logger } from 'pino';

/** The bytes of a message's media, as WhatsApp streams them (Baileys' downloadMediaMessage). */
export type MediaDownload = (raw: WAMessage) => Promise<AsyncIterable<Uint8Array>>;

/** WhatsApp itself caps pictures at 16 MB; a bigger document is left on the customer's phone. */
export const MAX_INBOUND_BYTES = 16 * 1024 * 1024;

const INBOUND_DIR = 'data/media/inbound';

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'application/pdf': 'pdf',
};

class TooBig extends Error {}

/** The part of a message that carries a picture or file worth keeping. */
function keptPart(raw: WAMessage): { mimetype?: string | null; fileLength?: unknown; fileName?: string | null } | undefined {
  const content = normalizeMessageContent(raw.message);
  return content?.imageMessage ?? content?.documentMessage ?? undefined;
}

/** The file's extension: from its type, else from the document's name; `bin` when neither says. */
function extensionOf(part: { mimetype?: string | null; fileName?: string | null }): string {
  const known = EXTENSIONS[(part.mimetype ?? '').split(';')[0]!.trim()];
  const named = extname(part.fileName ?? '').slice(1).toLowerCase();
  return known ?? (/^[a-z0-9]{1,8}$/.test(named) ? named : 'bin');
}

export class InboundMedia {
  constructor(
    /** The shop folder (beside flows/): files go to its data/media/inbound/. */
    private readonly root: string,
    private readonly download: MediaDownload,
    private readonly log: Logger,
    private readonly maxBytes = MAX_INBOUND_BYTES,
  ) {}

  /** Keeps the picture or file of a customer's message; its path in the shop folder, or null when there is none or it failed. */
  async keep(raw: WAMessage, messageId: string): Promise<string | null> {
    const part = keptPart(raw);
    if (!part) return null;
    const path = `${INBOUND_DIR}/${messageId.replace(/[^A-Za-z0-9_-]/g, '_')}.${extensionOf(part)}`;
    const file = join(this.root, path);
    if (existsSync(file)) return path; // delivered again: kept the first time
    try {
      if (Number(part.fileLength ?? 0) > this.maxBytes) throw new TooBig();
      await this.save(raw, file);
      return path;
    } catch (error) {
      const why = error instanceof TooBig ? `it is over ${this.maxBytes / 1024 / 1024} MB` : (error as Error).message;
      this.log.warn({ messageId, err: error instanceof TooBig ? undefined : error }, `a customer's picture or file was not kept (${why}); the message is recorded without it`);
      return null;
    }
  }

  /** Written beside the final name and renamed, so a half-written file is never taken for a kept one. */
  private async save(raw: WAMessage, file: string): Promise<void> {
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of await this.download(raw)) {
      size += chunk.length;
      if (size > this.maxBytes) throw new TooBig();
      chunks.push(chunk);
    }
    await mkdir(dirname(file), { recursive: true });
    const partial = `${file}.part`;
    try {
      await writeFile(partial, Buffer.concat(chunks));
      await rename(partial, file);
    } finally {
      await rm(partial, { force: true });
    }
  }
}
