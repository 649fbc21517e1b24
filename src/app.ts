/**
 * The composition root of `setia start`: configuration → store → flows → (transports, queues, web as they
 * land) → running bot. Everything else receives what it needs as arguments.
 */
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { FlowRegistry } from './flows/registry.js';
import { Store } from './store/store.js';

export interface RunningBot {
  store: Store;
  flows: FlowRegistry;
  stop(): Promise<void>;
}

export function startBot(config: Config, log: Logger): RunningBot {
  const flows = FlowRegistry.load(config.flowsDir, log);
  const store = Store.open(config.dbPath);
  flows.watch();
  log.info({ db: config.dbPath, flows: flows.current().flows.size }, 'store open and flows loaded; watching flows for changes');
  // The WhatsApp transport (Baileys) is wired in here by the WhatsApp issue; until then the simulator is the only way in.
  log.warn('this build has no WhatsApp connection yet: try the flows with `npm run chat`');
  return {
    store,
    flows,
    async stop() {
      flows.close();
      store.close();
    },
  };
}
