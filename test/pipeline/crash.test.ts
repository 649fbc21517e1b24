import { afterAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { Store } from '../../src/store/store.js';
import { SimulatorTransport, type SentMessage } from '../../src/transport/simulator.js';
import { flowsFrom } from '../helpers/engine.js';
import { killWhileSending } from '../helpers/crash.js';
import { removeTempDirs, silentLog, tempDir } from '../helpers/temp.js';

afterAll(removeTempDirs);

describe('crash between the outbox write and the send', () => {
  it('sends the reply exactly once after the restart, even when WhatsApp redelivers the message', async () => {
    const dbPath = join(tempDir(), 'setia.db');
    const replyId = await killWhileSending('test/fixtures/crash-child.ts', [dbPath, 'WAMSG-1']);

    const store = Store.open(dbPath);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    const transport = new SimulatorTransport();
    const sent: SentMessage[] = [];
    transport.onSend((m) => sent.push(m));
    const flows = flowsFrom('fallback: f\nflows:\n  f: { steps: [ { say: "balasan untuk {{message.text}}" } ] }\n');
    const pipeline = new Pipeline({ store, transport, flows: () => flows, clock: Date.now, random: Math.random, log: silentLog });
    transport.onInbound((m) => pipeline.handleInbound(m));

    await pipeline.flushAll();
    await transport.deliver({ id: 'WAMSG-1', chatId: '6281234567890@s.whatsapp.net', kind: 'text', text: 'pesan penting', at: Date.now() });
    await pipeline.flushAll();

    expect(sent).toEqual([{ chatId: '6281234567890@s.whatsapp.net', text: 'balasan untuk pesan penting', messageId: replyId }]);
    store.close();
  }, 30_000);
});
