/** `npm start`: the local stack on PORT (default 8787), data under DATA_DIR (default .data/). */
import { existsSync } from 'node:fs';
import { ConfigError } from '../server/core/errors';
import { LocalStackRefusedError } from './safety';
import { apiBaseVariable } from './simulated';
import { startLocalStack } from './stack';

async function main(): Promise<void> {
  // A git-ignored .env (see .env.example) is read if present; real environment variables win.
  if (existsSync('.env')) process.loadEnvFile('.env');
  const port = process.env.PORT ? Number(process.env.PORT) : 8787;
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
  console.log(`  try:       curl -s ${stack.url}/healthz`);
  const stop = () => {
    void stack.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError || e instanceof LocalStackRefusedError) console.error(e.message);
  else if (e instanceof Error && 'code' in e && (e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(`Port is in use; set PORT to another one (PORT=8788 npm start).`);
  } else console.error(e);
  process.exit(1);
});
