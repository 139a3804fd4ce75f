/**
 * The mini program payment parameters for a prepay id (WeChat Pay "JSAPI/Mini Program
 * payment: invoke payment"): `paySign` is Base64 SHA256withRSA, with the merchant's API
 * private key, over four lines each ending "\n": appId, timeStamp, nonceStr, package
 * (`prepay_id=…`). `signType` is "RSA". One job: those five parameters.
 */
import type { KeyObject } from 'node:crypto';
import type { WxPaymentParams } from '../types';
import { rsaSha256Sign } from './request-signature';

export function paySignMessage(appId: string, timeStamp: string, nonceStr: string, pkg: string): string {
  return `${appId}\n${timeStamp}\n${nonceStr}\n${pkg}\n`;
}

export function miniProgramParams(appId: string, prepayId: string, privateKey: KeyObject, timeStamp: string, nonceStr: string): WxPaymentParams {
  const pkg = `prepay_id=${prepayId}`;
  return { timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign: rsaSha256Sign(paySignMessage(appId, timeStamp, nonceStr, pkg), privateKey) };
}
