/** GET /search?q=…: the search page, for logged-in staff (see src/store/search.ts for what is matched). */
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../store/store.js';
import { requireStaff } from '../auth.js';
import { searchForm, searchLive } from '../pages/search.js';
import { sendPage } from '../send-page.js';
import { unreadCount } from '../views.js';

export function registerSearchRoutes(app: FastifyInstance, deps: { store: Store; clock: () => number }): void {
  const { store, clock } = deps;
  app.register(async (scope) => {
    scope.addHook('onRequest', requireStaff);
    scope.get('/search', async (request, reply) => {
      const raw = (request.query as { q?: unknown }).q;
      const typed = typeof raw === 'string' ? raw : '';
      const query = typed.trim();
      // As typed: a space after the last word asks for that word whole, else it is matched as a beginning.
      const results = query ? store.search.search(typed) : undefined;
      const { t } = request.locale;
      return sendPage(request, reply, {
        title: query ? t('search.titleFor', { query }) : t('search.title'),
        unread: unreadCount(store),
        before: searchForm(query, t),
        live: searchLive(query, results, request.locale, clock()),
      });
    });
  });
}
