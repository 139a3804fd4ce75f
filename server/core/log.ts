/**
 * One JSON line per log record. Callers pass masked values (core/strings.mask): logs never
 * hold a secret, a full openid or a full signature. LOG_LEVEL=silent quiets tests.
 */
type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level | 'silent', number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function createLogger(scope: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  const threshold = ORDER[(level as Level) in ORDER ? (level as Level) : 'info'];
  const write = (lvl: Level) => (message: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < threshold) return;
    const line = JSON.stringify({ t: new Date().toISOString(), level: lvl, scope, message, ...fields });
    (lvl === 'error' || lvl === 'warn' ? process.stderr : process.stdout).write(line + '\n');
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
