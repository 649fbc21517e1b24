// Run by `npm test` before the tests: the inbox's browser test drives Debian's chromium (never a downloaded browser).
// Missing, it is installed when this runs as root with apt-get; otherwise one line says what to run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';

function run(command, args) {
  return spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
}

if (!existsSync(CHROMIUM)) {
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (canInstall) {
    console.log(`${CHROMIUM} is missing: installing Debian's chromium for the browser test (apt-get install -y chromium)`);
    if (!run('apt-get', ['update', '-qq']) || !run('apt-get', ['install', '-y', '-qq', 'chromium'])) {
      console.error('Installing chromium failed (see above): run `apt-get update && apt-get install -y chromium`, then `npm test` again.');
      process.exit(1);
    }
  } else {
    console.error(`The browser test needs Debian's chromium at ${CHROMIUM}: run \`sudo apt-get install -y chromium\`, then \`npm test\` again.`);
    process.exit(1);
  }
}
