import CryptoJS from 'crypto-js';
import { paySign, paySignMessage } from '../../server/wechat/pay-sign';

describe('WeChat v2 paySign', () => {
  const input = {
    appId: 'wxd678efh567hg6787',
    nonceStr: '5K8264ILTKCH16CQ2502SI8ZNMTM67VS',
    package: 'prepay_id=wx2017033010242291fcfe0db70013231072',
    signType: 'MD5' as const,
    timeStamp: '1490840662',
  };
  const key = 'qazwsxedcrfvtgbyhnujmikolp111111';

  it('matches the published MD5 vector (pay.weixin.qq.com chapter7_3)', () => {
    expect(paySign(input, key)).toBe('22D9B4E54AB1950F51E0649E8810ACD6');
  });

  it('computes HMAC-SHA256 over the same string, key included', () => {
    const hmac = paySign({ ...input, signType: 'HMAC-SHA256' }, key);
    const message = paySignMessage({ ...input, signType: 'HMAC-SHA256' }, key);
    expect(hmac).toBe(CryptoJS.HmacSHA256(message, key).toString().toUpperCase());
  });
});
