/**
 * Where the mini program's backend is. `cloud`: the `pay` cloud function in your CloudBase
 * environment (production). `local`: the local stack (`npm start`) over wx.request, with
 * WeChat login and payment played by its sandbox, for DevTools without any account
 * (tick "Do not verify valid domain names" in DevTools' local settings).
 * Nothing secret belongs here: this file ships to every phone.
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
  /** The providers the checkout offers, first is the default. */
  providers: ('latipay' | 'ottpay' | 'newpay')[];
}

export const config: MiniProgramConfig = {
  backend: 'local',
  cloudEnv: 'your-cloud-env-id',
  localBaseUrl: 'http://127.0.0.1:8787',
  adminLocalUser: 'operator',
  localUser: 'devtools',
  providers: ['latipay', 'ottpay', 'newpay'],
};
