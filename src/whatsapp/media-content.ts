/** What Baileys' sendMessage takes for a picture or a file: the bytes, their type, and the caption. */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { AnyMessageContent } from '@whiskeysockets/baileys';
import type { MediaToSend } from '../transport/transport.js';

const MIME_TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.pdf': 'application/pdf',
  '.doc': 'application/msword',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xls': 'application/vnd.ms-excel',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.csv': 'text/csv',
  '.txt': 'text/plain',
  '.zip': 'application/zip',
};

export function mimeTypeOf(path: string): string {
  return MIME_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

export async function mediaContent(media: MediaToSend, caption: string): Promise<AnyMessageContent> {
  const bytes = await readFile(media.file);
  const mimetype = mimeTypeOf(media.path);
  const withCaption = caption ? { caption } : {};
  if (media.kind === 'image') return { image: bytes, mimetype, ...withCaption };
  return { document: bytes, mimetype, fileName: basename(media.path), ...withCaption };
}
