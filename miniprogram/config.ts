/**
 * Where the mini program's backend is, and which provider serves the shop. `cloud`: the
 * `pay` cloud function in your CloudBase environment (production). `local`: the local stack
 * (`npm start`) over wx.request, with WeChat login and payment played by its sandbox, for
 * DevTools without any account (tick "Do not verify valid domain names" in DevTools).
 * Nothing secret belongs here: this file ships to every phone. This is the one file outside
 * a provider's own folder that names providers; what each can do comes from the server.
 */
export interface MiniProgramConfig {
  backend: 'cloud' | 'local';
  /** CloudBase environment id (DevTools: Cloud Development console). */
  cloudEnv: string;
  localBaseUrl: string;
  /**
   * On the local stack, the operator pages log in as `test-<adminLocalUser>-<n>`: the local
   * stack's default operator (ADMIN_OPENIDS), so pages/admin/* work without any account.
   */
  adminLocalUser: string;
  /** On the local stack, login codes are `test-<localUser>-<n>`: one stable shopper. */
  localUser: string;
  /** The provider that serves this shop; the shopper sees its currencies, never its name. */
  provider: string;
  /**
   * Local demo only (backend 'local'): a switch between these providers, labelled as a demo.
   * Empty, or a cloud backend, shows no switch.
   */
  demoProviders: string[];
  /** "Pay another way" (where the provider has a cashier): the cashier's payMethod. */
  cashierPayMethod: string;
}

export const config: MiniProgramConfig = {
  backend: 'local',
  cloudEnv: 'your-cloud-env-id',
  localBaseUrl: 'http://127.0.0.1:8787',
  adminLocalUser: 'operator',
  localUser: 'devtools',
  provider: 'latipay',
  demoProviders: ['latipay', 'ottpay', 'newpay'],
  cashierPayMethod: 'newpay',
};
