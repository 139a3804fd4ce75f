/**
 * Latipay's error codes (Latipay/latipay.github.io src/v2/error-code.md), in words a
 * shopper, developer or operator can act on.
 */
export const LATIPAY_ERRORS: Readonly<Record<string, string>> = {
  '1': 'the request failed',
  '201': 'the order does not exist at Latipay',
  '204': 'a required field was empty',
  '205': 'the user is unknown or disabled (check LATIPAY_USER_ID and LATIPAY_API_KEY)',
  '206': 'the request signature was rejected (check LATIPAY_API_KEY)',
  '207': 'a request parameter is wrong',
  '300': 'the payment gateway does not exist',
  '301': 'the account or currency is wrong (check LATIPAY_CURRENCY)',
  '302': 'the payment company does not exist',
  '303': 'the payment type is not allowed for this merchant',
  '304': 'the wallet does not support this payment method (ask Latipay to enable WeChat mini program payments)',
  '305': 'the merchant has no margin plan (ask Latipay)',
  '450': 'the wallet is not assigned to this user (check LATIPAY_WALLET_ID)',
  '454': 'the amount is over the single-payment limit',
  '550': 'the refund parameters are wrong',
  '551': 'the order to refund does not exist at Latipay',
  '556': 'Latipay could not create the refund; try again later',
  '558': 'the refund does not exist at Latipay',
  '559': 'the wallet balance is too low for this refund; top up the Latipay wallet and try again',
  '562': 'this refund has already been done',
};
