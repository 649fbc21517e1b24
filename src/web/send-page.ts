/**
 * Answers a page request: the whole page, or only its live region when the page's script asks for a live
 * update (with the title, unread count included, in a header).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { layout, titleOf, type PageParts } from './pages/layout.js';

const PARTIAL_HEADER = 'x-setia-live';

export function sendPage(request: FastifyRequest, reply: FastifyReply, parts: Omit<PageParts, 'staff' | 't' | 'language'>): FastifyReply {
  if (request.headers[PARTIAL_HEADER]) {
    return reply.type('text/html').header('x-setia-title', encodeURIComponent(titleOf(parts.title, parts.unread))).send(parts.live.value);
  }
  return reply.type('text/html').send(layout({ ...parts, staff: request.staff!, t: request.locale.t, language: request.locale.language }).value);
}
