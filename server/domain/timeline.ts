/**
 * An order's timeline, kept inside the order document so that a line costs no round trip of
 * its own and is written with the change it describes. Bounded whoever calls: a line identical
 * to the newest one is counted on it (`repeats`) instead of written again, and beyond
 * TIMELINE_KEEP lines the oldest line that is not a key line (creation, status changes,
 * refund requests and settlements, attention, operators' actions) is dropped and counted.
 */
/** The timeline fields of an order (./order.ts holds them). */
interface WithTimeline {
  timeline?: TimelineLine[];
  olderLines?: number;
}

/** The kinds of timeline line. */
export type EventType =
  | 'created'
  | 'provider_request'
  | 'provider_response'
  | 'provider_error'
  | 'notification'
  | 'status_changed'
  /** A question asked of the provider about the payment or a refund, and its answer. */
  | 'provider_query'
  | 'query'
  // Refunds: asked for, the provider's answer, a callback, a query, settled.
  | 'refund_requested'
  | 'refund_response'
  | 'refund_notification'
  | 'refund_query'
  | 'refund_settled'
  /** Something a person must look at was marked (or cleared). */
  | 'attention'
  // An operator's action through the admin function (masked openid in detail.operator).
  | 'admin';


export interface TimelineLine {
  at: number;
  type: EventType;
  detail: Record<string, unknown>;
  /** How many more times this same line happened, the last at `lastAt`. */
  repeats?: number;
  lastAt?: number;
}

/** A line to write, stamped by the change that writes it. */
export interface TimelineEntry {
  type: EventType;
  detail: Record<string, unknown>;
}

/** Lines kept per order (the newest). */
export const TIMELINE_KEEP = 80;

/** Lines that say what happened to the money: dropped only when nothing else is left to drop. */
const KEY_LINES: ReadonlySet<EventType> = new Set<EventType>(['created', 'status_changed', 'refund_requested', 'refund_settled', 'attention', 'admin']);

function sameLine(a: TimelineLine, b: TimelineEntry): boolean {
  return a.type === b.type && JSON.stringify(a.detail) === JSON.stringify(b.detail);
}

/** The order's timeline after writing `entries` at `at` (pure: returns the new fields). */
export function appendLines(order: WithTimeline, entries: readonly TimelineEntry[], at: number): WithTimeline {
  const lines = [...(order.timeline ?? [])];
  let older = order.olderLines ?? 0;
  for (const entry of entries) {
    const newest = lines[lines.length - 1];
    if (newest && sameLine(newest, entry)) {
      lines[lines.length - 1] = { ...newest, repeats: (newest.repeats ?? 0) + 1, lastAt: at };
      continue;
    }
    lines.push({ at, type: entry.type, detail: entry.detail });
    while (lines.length > TIMELINE_KEEP) {
      const drop = lines.findIndex((l) => !KEY_LINES.has(l.type));
      lines.splice(drop >= 0 ? drop : 0, 1);
      older += 1;
    }
  }
  return older > 0 ? { timeline: lines, olderLines: older } : { timeline: lines };
}
