/**
 * WeChat Pay v2 In-App Payment sign (the PayReq a native app hands to the WeChat SDK):
 * uppercase MD5 of appid=..&noncestr=..&package=..&partnerid=..&prepayid=..&timestamp=..&key=<API key>
 * (keys in ASCII order, as in the OTT Pay in-app seed's genAppSign example).
 */
import { createHash } from 'node:crypto';

export interface AppSignInput {
  appId: string;
  nonceStr: string;
  packageValue: string;
  partnerId: string;
  prepayId: string;
  timeStamp: string;
}

export function appSignMessage(p: AppSignInput, apiKey: string): string {
  return (
    `appid=${p.appId}&noncestr=${p.nonceStr}&package=${p.packageValue}&partnerid=${p.partnerId}` +
    `&prepayid=${p.prepayId}&timestamp=${p.timeStamp}&key=${apiKey}`
  );
}

export function appSign(p: AppSignInput, apiKey: string): string {
  return createHash('md5').update(appSignMessage(p, apiKey), 'utf8').digest('hex').toUpperCase();
}
