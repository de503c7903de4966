// tsc does not keep the executable bit; the CLI entry needs it to run as `kubeharden` or a kubectl plugin.
import { chmodSync } from 'node:fs';
chmodSync('dist/src/cli/main.js', 0o755);
