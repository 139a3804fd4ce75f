/**
 * The local stack is a development tool: it serves simulators that sign with whatever keys it
 * is given and a console without authentication. It refuses to start where it could be
 * mistaken for a deployment: with NODE_ENV=production, or bound to a non-loopback address.
 */
import { isLoopbackHost } from './simulated';

export class LocalStackRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalStackRefusedError';
  }
}

const DEPLOY_HINT = 'Deploy the cloud functions instead: see "Deploy" in README.md (npm run deploy:env).';

export function assertDevelopmentUse(env: NodeJS.ProcessEnv | Record<string, string | undefined>, host: string): void {
  if ((env.NODE_ENV ?? '').trim().toLowerCase() === 'production') {
    throw new LocalStackRefusedError(
      'NODE_ENV is "production": the local stack (npm start) is a development tool with simulated providers and ' +
        `an unauthenticated console, and does not run in production. ${DEPLOY_HINT}`,
    );
  }
  if (!isLoopbackHost(host)) {
    throw new LocalStackRefusedError(
      `HOST is "${host}": the local stack serves its simulators and console on a loopback address only ` +
        `(127.0.0.1, localhost or ::1). ${DEPLOY_HINT}`,
    );
  }
}
