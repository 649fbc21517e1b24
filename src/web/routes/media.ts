/**
 * Pictures and files of the transcript, for logged-in staff only: what the bot sent (data/photos/…) and what
 * customers sent (data/media/…), under the shop folder's data/. Anything else, or a link that leads outside
 * data/ once resolved, is refused as not found.
 */
import { createReadStream } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { isDataPath } from '../../core/flow/media-path.js';
import { requireStaff } from '../auth.js';

/** Shown in the page; anything else is downloaded, never rendered by the browser. */
const INLINE_TYPES: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp', '.gif': 'image/gif' };

export const MEDIA_PREFIX = '/media/';

/** The page's address of a stored picture or file (a path under data/, as in messages.media_path). */
export const mediaUrl = (path: string): string => MEDIA_PREFIX + path.split('/').map(encodeURIComponent).join('/');

/** The file behind `path` when it is really inside the shop's data/ folder, else undefined. */
async function insideData(shopRoot: string, path: string): Promise<string | undefined> {
  if (!isDataPath(path)) return undefined;
  try {
    const [file, data] = await Promise.all([realpath(join(shopRoot, path)), realpath(join(shopRoot, 'data'))]);
    return file.startsWith(data + sep) ? file : undefined;
  } catch {
    return undefined; // missing file or folder
  }
}

export function registerMediaRoutes(app: FastifyInstance, deps: { mediaRoot: string }): void {
  app.register(async (scope) => {
    scope.addHook('onRequest', requireStaff);
    scope.get(`${MEDIA_PREFIX}*`, async (request, reply) => {
      const path = (request.params as { '*': string })['*'];
      const file = await insideData(deps.mediaRoot, path);
      if (!file) return reply.code(404).type('text/plain').send(request.locale.t('media.missing'));
      const type = INLINE_TYPES[extname(file).toLowerCase()];
      reply.header('cache-control', 'private, max-age=3600');
      if (!type) reply.header('content-disposition', 'attachment');
      return reply.type(type ?? 'application/octet-stream').send(createReadStream(file));
    });
  });
}
