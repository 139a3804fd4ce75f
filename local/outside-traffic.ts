/**
 * What `npm start` says before anything leaves the machine: every URL the configuration
 * read (AppConfig.urlVariables, set by the developer or defaulted) that is not this stack
 * (a loopback address on its port) would send traffic outside it. Each warning names the
 * variable, where it points and what follows, so a copied `.env` cannot quietly leave orders
 * PAYING (a notify URL on a placeholder domain) or spend real credentials.
 */
import { isLoopbackHost } from './simulated';

/** What sending to another place means, per variable; anything else gets the generic line. */
const CONSEQUENCE: Readonly<Record<string, string>> = {
  NOTIFY_BASE_URL:
    'the simulated providers will send payment notifications there instead of to this stack, so orders stay PAYING. ' +
    'Leave it unset for the local stack (comment it out in .env); it is a deployment value',
  WECHAT_API_BASE: 'login codes are exchanged with that WeChat server, whose codes the sandbox cannot make',
  NEWPAY_RETURN_URL: "NewPay's cashier sends shoppers back there",
};

function isThisStack(value: string, stackUrl: string): boolean {
  try {
    const url = new URL(value);
    const stack = new URL(stackUrl);
    return url.protocol === stack.protocol && isLoopbackHost(url.hostname) && url.port === stack.port;
  } catch {
    return false;
  }
}

/** One line per URL variable outside the stack, sorted by variable name; empty when all is local. */
export function outsideTrafficWarnings(urlVariables: Readonly<Record<string, string>>, stackUrl: string): string[] {
  return Object.keys(urlVariables)
    .sort()
    .filter((name) => !isThisStack(urlVariables[name] ?? '', stackUrl))
    .map((name) => {
      const consequence = CONSEQUENCE[name] ?? 'calls go to that endpoint with the credentials you set, and its simulator is not used';
      return `${name}=${urlVariables[name]} is outside this stack (${stackUrl}): ${consequence}.`;
    });
}

/** "Port in use" with the way to pick another port on every shell the README promises. */
export function portInUseMessage(port: number): string {
  const next = port === 65535 ? 8788 : port + 1;
  return [
    `Port ${port} is in use (another npm start, or another program). Pick another port:`,
    `  bash, zsh:    PORT=${next} npm start`,
    `  cmd.exe:      set "PORT=${next}" && npm start`,
    `  PowerShell:   $env:PORT=${next}; npm start`,
    `  or put PORT=${next} in .env.`,
    `The mini program in DevTools calls http://127.0.0.1:8787 (miniprogram/config.ts, localBaseUrl): change it to the same port.`,
  ].join('\n');
}
