/** NewPay stops resending a callback (payment or refund) once the merchant answers 200 `{"transResult":"SUCCESS"}`. */
export function isTransResultSuccess(status: number, text: string): boolean {
  try {
    return status === 200 && (JSON.parse(text) as { transResult?: unknown }).transResult === 'SUCCESS';
  } catch {
    return false;
  }
}
