/**
 * `node --import ./test/helpers/module-log.mjs …` with `MODULE_LOG=<file>`: writes, when the
 * process exits, the URL of every module it imported (one a line), as Node's ESM loader resolved
 * them; CommonJS packages show as the URL their first import resolved to.
 */
import { writeFileSync } from 'node:fs';
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

const file = process.env.MODULE_LOG;
if (file) {
  const urls = new Set();
  const { port1, port2 } = new MessageChannel();
  port1.on('message', (url) => urls.add(url));
  port1.unref();
  register('./module-log-hooks.mjs', import.meta.url, { data: { port: port2 }, transferList: [port2] });
  process.on('exit', () => writeFileSync(file, [...urls].join('\n')));
}
