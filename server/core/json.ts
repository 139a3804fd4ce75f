/** Reading untrusted JSON from providers without crashing on unexpected shapes. */
export type JsonObject = Record<string, unknown>;

/** The value if it is a JSON object, else an empty one (so field reads yield ''). */
export function asRecord(value: unknown): JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : {};
}

/** A field as text: strings as they are, numbers as written, anything else ''. */
export function fieldText(record: JsonObject, key: string): string {
  const v = record[key];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}
