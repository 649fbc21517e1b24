/**
 * Pictures staff send from the reply box: read from a multipart form, recognised by their first bytes (JPEG, PNG
 * or WebP, whatever the file is called or claims to be), and stored under data/media/outbound/ in the shop's
 * folder under a random name, where the outbox and the transcript find them by path.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const MAX_PICTURE_MB = 5;
const OUTBOUND_DIR = 'data/media/outbound';

/** Three formats every phone shows; their signatures are fixed by their specifications. */
const SIGNATURES: Array<{ ext: string; matches: (bytes: Buffer) => boolean }> = [
  { ext: 'jpg', matches: (bytes) => bytes.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff])) },
  { ext: 'png', matches: (bytes) => bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { ext: 'webp', matches: (bytes) => bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP' },
];

/** The file extension for a picture's bytes, or undefined when they are no JPEG, PNG or WebP. */
export function pictureExtension(bytes: Buffer): string | undefined {
  return SIGNATURES.find((signature) => signature.matches(bytes))?.ext;
}

/** Writes the picture under data/media/outbound/ and returns its path there (as messages.media_path keeps it). */
export async function storePicture(shopRoot: string, bytes: Buffer, ext: string): Promise<string> {
  const path = `${OUTBOUND_DIR}/${randomBytes(16).toString('hex')}.${ext}`;
  await mkdir(join(shopRoot, OUTBOUND_DIR), { recursive: true });
  await writeFile(join(shopRoot, path), bytes, { flag: 'wx' });
  return path;
}

/** A stored picture that will not be sent after all. */
export function removePicture(shopRoot: string, path: string): Promise<void> {
  return rm(join(shopRoot, path), { force: true });
}

/** A picture over the limit is refused in the shop's language; any other error goes to the default handler. */
function uploadRefused(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error.code !== 'FST_REQ_FILE_TOO_LARGE') throw error;
  return reply.code(413).send({ error: request.locale.t('picture.tooBig', { mb: MAX_PICTURE_MB }) });
}

/**
 * Lets the routes of `scope` take multipart forms: fields as plain values and one file as a Buffer (read only
 * for logged-in staff: the scope's onRequest hook runs first), with the CSRF field checked as in any form.
 */
export async function acceptUploads(scope: FastifyInstance): Promise<void> {
  await scope.register(fastifyMultipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: MAX_PICTURE_MB * 2 ** 20, files: 1, fields: 10, parts: 11, fieldSize: 64 * 1024 },
  });
  scope.setErrorHandler(uploadRefused);
}
