/** Display helpers for times; money is services/money.ts (shared with the console). */
export { formatMoney } from './money';

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Epoch ms → "2026-11-22 09:05" in the phone's time zone (read the same way in every language). */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Epoch ms → "2026-11-22 09:05:07" (operator pages: to the second). */
export function formatTimeSeconds(ms: number | undefined): string {
  if (ms === undefined) return '';
  const d = new Date(ms);
  return `${formatTime(ms)}:${pad(d.getSeconds())}`;
}

/** Milliseconds left → "29:59" (or "1:05:00" past an hour); never negative. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}
