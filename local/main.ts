/** `npm start`: the local stack on PORT (default 8787), data under DATA_DIR (default .data/). */
import { existsSync } from 'node:fs';
import { ConfigError } from '../server/core/errors';
import { LocalStackRefusedError } from './safety';
import { outsideTrafficWarnings, portInUseMessage } from './outside-traffic';
import { apiBaseVariable } from './simulated';
import { startLocalStack } from './stack';

let port = 8787;

async function main(): Promise<void> {
  // A git-ignored .env (see .env.example) is read if present; real environment variables win.
  if (existsSync('.env')) process.loadEnvFile('.env');
  port = process.env.PORT ? Number(process.env.PORT) : 8787;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`PORT must be a port number, got "${process.env.PORT}"`);
    process.exit(2);
  }
  const stack = await startLocalStack({ port, ...(process.env.HOST ? { host: process.env.HOST } : {}) });
  console.log(`Local stack listening on ${stack.url}`);
  console.log(`  providers: ${[...stack.app.config.providers].join(', ')}`);
  for (const name of ['wechat', ...stack.app.config.providers]) {
    const where = stack.simulated[name] ? `simulated at ${stack.url}/sandbox/${name}` : `real: ${stack.env[apiBaseVariable(name)]}`;
    console.log(`  ${(name + ':').padEnd(10)} ${where}`);
  }
  console.log(`  data:      ${process.env.DATA_DIR ?? '.data'}/orders.sqlite`);
  console.log(`  console:   ${stack.url}/`);
  console.log(`  try:       curl -s ${stack.url}/healthz`);
  if (port !== 8787 && port !== 0) {
    console.log(`  note:      the mini program calls http://127.0.0.1:8787 (miniprogram/config.ts, localBaseUrl); set it to ${stack.url} for DevTools`);
  }
  for (const warning of outsideTrafficWarnings(stack.app.config.urlVariables, stack.url)) console.warn(`warning: ${warning}`);
  const stop = () => {
    void stack.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError || e instanceof LocalStackRefusedError) console.error(e.message);
  else if (e instanceof Error && 'code' in e && (e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(portInUseMessage(port));
  } else console.error(e);
  process.exit(1);
});
