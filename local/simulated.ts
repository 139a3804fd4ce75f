/**
 * Whether a provider (or WeChat) talks to the local stack's own simulator: its `*_API_BASE`
 * is unset (the default is the stack's `/sandbox/<name>`) or names that same simulator on a
 * loopback address of the stack's port. Anything else is a real endpoint: that simulator is
 * not mounted, and the WeChat sandbox does not pay that provider's orders.
 */
const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_NAMES.has(host.toLowerCase()) || /^127(\.\d{1,3}){3}$/.test(host);
}

export function isSimulated(apiBase: string | undefined, stackUrl: string, name: string): boolean {
  if (apiBase === undefined || apiBase.trim() === '') return true;
  let base: URL;
  let stack: URL;
  try {
    base = new URL(apiBase.trim());
    stack = new URL(stackUrl);
  } catch {
    return false;
  }
  return (
    base.protocol === stack.protocol &&
    isLoopbackHost(base.hostname) &&
    base.port === stack.port &&
    base.pathname.replace(/\/+$/, '') === `/sandbox/${name}` &&
    base.search === ''
  );
}

/** The environment variable that names a simulator's API base by default: `<name>` → `<NAME>_API_BASE`. */
export function apiBaseVariable(name: string): string {
  return `${name.toUpperCase()}_API_BASE`;
}
