/**
 * WeChat Pay v2 mini program paySign, for providers that hand the backend a prepay id and
 * leave the signing to it (OTT Pay). MD5 or HMAC-SHA256 over
 * appId=..&nonceStr=..&package=..&signType=..&timeStamp=..&key=<API key>, uppercase hex.
 */
import { createHash, createHmac } from 'node:crypto';

export interface PaySignInput {
  appId: string;
  nonceStr: string;
  package: string;
  signType: 'MD5' | 'HMAC-SHA256';
  timeStamp: string;
}

export function paySignMessage(p: PaySignInput, apiKey: string): string {
  return `appId=${p.appId}&nonceStr=${p.nonceStr}&package=${p.package}&signType=${p.signType}&timeStamp=${p.timeStamp}&key=${apiKey}`;
}

export function paySign(p: PaySignInput, apiKey: string): string {
  const message = paySignMessage(p, apiKey);
  const digest =
    p.signType === 'MD5'
      ? createHash('md5').update(message, 'utf8').digest('hex')
      : createHmac('sha256', apiKey).update(message, 'utf8').digest('hex');
  return digest.toUpperCase();
}
