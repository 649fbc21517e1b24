/**
 * The owner's account changes: add a colleague, reset a password, remove an account. Each is written to the
 * audit log in the same transaction as the change; the owner page comes back with a one-time password or the
 * reason nothing changed. The last owner stays: removing them would lock everyone out of the owner's pages.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hashPassword } from '../../staff/password.js';
import { ACCOUNT_NAME, type Role } from '../../store/staff-accounts.js';
import type { Store } from '../../store/store.js';
import type { AccountNotice } from '../pages/accounts.js';

export type ShowOwnerPage = (request: FastifyRequest, reply: FastifyReply, notice?: AccountNotice) => FastifyReply;

/** 12 URL-safe characters (72 bits): easy to read out, long enough to pass the password rule. */
const oneTimePassword = (): string => randomBytes(9).toString('base64url');

const field = (request: FastifyRequest, name: string): string => {
  const value = (request.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value.trim() : '';
};

const accountOf = (store: Store, request: FastifyRequest) => store.staffAccounts.byId(Number((request.params as { id: string }).id));

export function registerAccountRoutes(scope: FastifyInstance, deps: { store: Store; clock: () => number }, show: ShowOwnerPage): void {
  const { store, clock } = deps;
  const audit = (actor: string, action: string, target: string): void => store.audit.record({ at: clock(), actor, action, target });

  scope.post('/owner/accounts', async (request, reply) => {
    const { t } = request.locale;
    const name = field(request, 'name');
    const role: Role = field(request, 'role') === 'owner' ? 'owner' : 'staff';
    if (!ACCOUNT_NAME.test(name)) return show(request, reply.code(400), { problem: t('accounts.badName') });
    const password = oneTimePassword();
    const hash = await hashPassword(password);
    const added = store.transaction(() => {
      if (!store.staffAccounts.add(name, role, hash, clock())) return false;
      audit(request.staff!.name, 'account.add', name);
      return true;
    });
    if (!added) return show(request, reply.code(409), { problem: t('accounts.taken', { name }) });
    return show(request, reply, { password, name });
  });

  scope.post('/owner/accounts/:id/reset', async (request, reply) => {
    const target = accountOf(store, request);
    if (!target) return show(request, reply.code(404), { problem: request.locale.t('accounts.missing') });
    const password = oneTimePassword();
    const hash = await hashPassword(password);
    store.transaction(() => {
      store.staffAccounts.setPassword(target.name, hash);
      store.webSessions.endAll(target.id); // whoever knew the old password is logged out
      audit(request.staff!.name, 'account.reset', target.name);
    });
    return show(request, reply, { password, name: target.name });
  });

  scope.post('/owner/accounts/:id/remove', async (request, reply) => {
    const { t } = request.locale;
    const target = accountOf(store, request);
    if (!target) return show(request, reply.code(404), { problem: t('accounts.missing') });
    if (target.role === 'owner' && store.staffAccounts.owners() === 1) return show(request, reply.code(409), { problem: t('accounts.lastOwner') });
    store.transaction(() => {
      store.staffAccounts.remove(target.name);
      audit(request.staff!.name, 'account.remove', target.name);
    });
    return show(request, reply, { done: t('accounts.removed', { name: target.name }) });
  });
}
