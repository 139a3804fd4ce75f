/** Helpers for logging without leaking: openids and signatures are never logged whole. */
export function mask(value: string | undefined, keep = 4): string {
  if (!value) return '';
  if (value.length <= keep * 2) return '*'.repeat(value.length);
  return `${value.slice(0, keep)}…${value.slice(-keep)}`;
}
