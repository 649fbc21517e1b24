// The flows loader thread's entry (see load-thread.ts). A worker does not inherit the TypeScript loader of the
// thread that starts it (tsx under bin/setia.js, ts-jest under Jest), so it registers tsx itself, as
// bin/setia.js does, and then runs the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./load-worker.ts');
