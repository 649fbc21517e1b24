/**
 * `setia staff add|list|remove|passwd`: the web inbox's accounts. Passwords are asked on the terminal without
 * echo (twice), or read from one line of standard input with `--password-stdin`, and stored only as scrypt hashes.
 */
import { createInterface } from 'node:readline';
import { SetiaError } from '../errors.js';
import { hashPassword, passwordProblem } from '../staff/password.js';
import { ACCOUNT_NAME, type Role } from '../store/staff-accounts.js';
import { Store } from '../store/store.js';

export interface StaffCommandIo {
  input: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  out: NodeJS.WritableStream;
  now: number;
}


function checkName(name: string): string {
  const trimmed = name.trim();
  if (!ACCOUNT_NAME.test(trimmed)) throw new SetiaError(`"${name}" is not a usable name: use 1–40 letters, digits, spaces, ".", "_" or "-"`);
  return trimmed;
}

async function readLine(input: NodeJS.ReadableStream): Promise<string> {
  const lines = createInterface({ input, terminal: false });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

/** Reads a password on the terminal with echo off. */
function askHidden(io: StaffCommandIo, prompt: string): Promise<string> {
  const { input, out } = io;
  out.write(prompt);
  input.setRawMode?.(true);
  input.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const onData = (chunk: Buffer): void => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\u0003') return finish(new SetiaError('cancelled'));
        if (char === '\r' || char === '\n') return finish();
        typed = char === '\u007f' || char === '\b' ? typed.slice(0, -1) : typed + char;
      }
    };
    const finish = (error?: Error): void => {
      input.off('data', onData);
      input.setRawMode?.(false);
      input.pause();
      out.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    input.on('data', onData);
  });
}

async function newPasswordHash(io: StaffCommandIo, fromStdin: boolean): Promise<string> {
  let password: string;
  if (fromStdin) {
    password = await readLine(io.input);
  } else {
    if (!io.input.isTTY) throw new SetiaError('no terminal to ask for the password on: pipe it in with --password-stdin');
    password = await askHidden(io, 'Password: ');
    if ((await askHidden(io, 'Password again: ')) !== password) throw new SetiaError('the two passwords differ; nothing was changed');
  }
  const problem = passwordProblem(password);
  if (problem) throw new SetiaError(`${problem}; nothing was changed`);
  return hashPassword(password);
}

function withStore<T>(dbPath: string, work: (store: Store) => T): T {
  const store = Store.open(dbPath);
  try {
    return work(store);
  } finally {
    store.close();
  }
}

export async function staffAdd(dbPath: string, name: string, options: { owner?: boolean; passwordStdin?: boolean }, io: StaffCommandIo): Promise<number> {
  const clean = checkName(name);
  if (withStore(dbPath, (store) => store.staffAccounts.byName(clean))) throw new SetiaError(`an account named "${clean}" exists already; use \`setia staff passwd ${clean}\` to change its password`);
  const hash = await newPasswordHash(io, Boolean(options.passwordStdin));
  const role: Role = options.owner ? 'owner' : 'staff';
  if (!withStore(dbPath, (store) => store.staffAccounts.add(clean, role, hash, io.now))) throw new SetiaError(`an account named "${clean}" exists already`);
  io.out.write(`Added ${role} "${clean}". They can log in to the inbox now.\n`);
  return 0;
}

export function staffList(dbPath: string, io: StaffCommandIo): number {
  const accounts = withStore(dbPath, (store) => store.staffAccounts.all());
  if (!accounts.length) io.out.write('No staff accounts yet. Create the first with: setia staff add <name> --owner\n');
  for (const account of accounts) io.out.write(`${account.name.padEnd(24)} ${account.role.padEnd(6)} since ${new Date(account.createdAt).toISOString().slice(0, 10)}\n`);
  return 0;
}

export function staffRemove(dbPath: string, name: string, io: StaffCommandIo): number {
  if (!withStore(dbPath, (store) => store.staffAccounts.remove(name.trim()))) throw new SetiaError(`there is no account named "${name}" (see \`setia staff list\`)`);
  io.out.write(`Removed "${name.trim()}"; their sessions have ended.\n`);
  return 0;
}

export async function staffPasswd(dbPath: string, name: string, options: { passwordStdin?: boolean }, io: StaffCommandIo): Promise<number> {
  const account = withStore(dbPath, (store) => store.staffAccounts.byName(name.trim()));
  if (!account) throw new SetiaError(`there is no account named "${name}" (see \`setia staff list\`)`);
  const hash = await newPasswordHash(io, Boolean(options.passwordStdin));
  withStore(dbPath, (store) =>
    store.transaction(() => {
      store.staffAccounts.setPassword(account.name, hash);
      store.webSessions.endAll(account.id); // whoever knew the old password is logged out
    }),
  );
  io.out.write(`Changed the password of "${account.name}"; their other sessions have ended.\n`);
  return 0;
}
