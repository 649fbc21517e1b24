/** Every request speaks the shop's language: `request.locale` from settings.language and settings.timezone, read per request so a flows edit applies at once. */
import type { FastifyInstance } from 'fastify';
import type { FlowSet } from '../core/flow/types.js';
import { localeOf, type Locale } from './i18n/translate.js';

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale;
  }
}

export function registerLocale(app: FastifyInstance, flows: () => FlowSet): void {
  app.decorateRequest('locale', null as unknown as Locale);
  app.addHook('onRequest', async (request) => {
    request.locale = localeOf(flows().settings);
  });
}
