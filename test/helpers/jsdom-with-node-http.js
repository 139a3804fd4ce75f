/**
 * jsdom, plus the Node globals the in-process local stack uses (fetch for the provider
 * simulators' notifications, setImmediate, TextEncoder...): page tests that run against the
 * real local stack need a DOM for miniprogram-simulate and Node's HTTP for the stack.
 */
const { TestEnvironment } = require('jest-environment-jsdom');

class JsdomWithNodeHttp extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of ['fetch', 'Request', 'Response', 'Headers', 'FormData', 'AbortController', 'AbortSignal', 'setImmediate', 'clearImmediate', 'TextEncoder', 'TextDecoder', 'structuredClone']) {
      if (globalThis[name] !== undefined) this.global[name] = globalThis[name];
    }
  }
}

module.exports = JsdomWithNodeHttp;
