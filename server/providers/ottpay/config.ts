import type { EnvReader } from '../../config/env';

export interface OttpayConfig {
  /** OTT Pay merchant id, e.g. QC00005496. Sent in every envelope and checked in every callback. */
  merchantId: string;
  /** Operator id provided by OTT Pay, e.g. 0000000005. */
  operatorId: string;
  /** The signkey that derives each message's AES key (Appendix A). Never logged or returned. */
  signKey: string;
  /** https://frontapi.ottpay.com:443 in production; the local stack points it at its simulator. */
  apiBase: string;
  /**
   * In-app payments only: the native app's AppID on the WeChat *Open Platform* (not the mini
   * program's). Optional: without it `createAppPayment` is refused, everything else works.
   */
  appId?: string;
  /**
   * The processV2 action of the in-app payment request. The seed (docs.ottpay.com "In-App
   * WeChat Pay") documents the fields but names no action; APPPAY is our choice, by analogy with
   * MAPPPAY (Mini-APP PAY). Configurable so a merchant can use the name OTT Pay gives them.
   */
  appPayAction: string;
  /**
   * Optional WeChat Pay API key. Only used when a MAPPPAY answer carries no paySign and no
   * wxapikey: the backend then signs the wx.requestPayment parameters itself (v2 MD5).
   */
  wechatPayKey?: string;
}

export const OTTPAY_DEFAULT_API_BASE = 'https://frontapi.ottpay.com:443';
export const OTTPAY_DEFAULT_APP_PAY_ACTION = 'APPPAY';

export function readOttpayConfig(env: EnvReader): OttpayConfig {
  const config: OttpayConfig = {
    merchantId: env.required('OTTPAY_MERCHANT_ID', /^[A-Za-z0-9]{4,32}$/, 'your OTT Pay merchant id, e.g. QC00005496'),
    operatorId: env.required('OTTPAY_OPERATOR_ID', /^[A-Za-z0-9]{1,32}$/, 'the operator id OTT Pay gave you, e.g. 0000000005'),
    // Appendix A takes the AES key from MD5(md5 + signkey), so any length would "work"; every
    // signkey OTT Pay publishes (6698851A525C9433, A8B5FE540E38A5A9) is 16 letters and digits,
    // and a shorter or longer one is a value cut or padded while copying: said at start, not
    // as a callback that never decrypts.
    signKey: env.required('OTTPAY_SIGN_KEY', /^[A-Za-z0-9]{16}$/, 'the signkey from OTT Pay: 16 letters and digits, like 6698851A525C9433'),
    apiBase: env.url('OTTPAY_API_BASE', OTTPAY_DEFAULT_API_BASE),
    appPayAction: env.optional('OTTPAY_APP_PAY_ACTION', OTTPAY_DEFAULT_APP_PAY_ACTION),
  };
  if (!/^[A-Z_]{2,32}$/.test(config.appPayAction)) {
    env.problem('OTTPAY_APP_PAY_ACTION', `must be an OTT Pay action name like APPPAY, got "${config.appPayAction}"`);
  }
  const appId = env.optionalOrUndefined('OTTPAY_APP_ID');
  if (appId !== undefined) {
    if (!/^wx[0-9a-zA-Z]{14,18}$/.test(appId)) {
      env.problem('OTTPAY_APP_ID', 'is malformed (the native app AppID from open.weixin.qq.com, wx followed by 16 characters)');
    }
    config.appId = appId;
  }
  const wechatPayKey = env.optionalOrUndefined('OTTPAY_WECHAT_PAY_KEY');
  if (wechatPayKey !== undefined) {
    // A WeChat Pay API v2 key is 32 letters and digits (pay.weixin.qq.com, "API密钥").
    if (!/^[A-Za-z0-9]{32}$/.test(wechatPayKey)) env.problem('OTTPAY_WECHAT_PAY_KEY', 'is malformed (a WeChat Pay API key: 32 letters and digits)');
    config.wechatPayKey = wechatPayKey;
  }
  return config;
}
