/**
 * In-memory maps for the local stack's simulators and console that cannot grow without bound:
 * at most `maxSize` entries, the oldest inserted evicted first (setting a key again makes it the
 * newest). The local stack is a development tool; a simulated payment older than the last
 * `maxSize` is forgotten, as a real prepay id expires.
 */
export const DEFAULT_MAX_ENTRIES = 2_000;

export class BoundedMap<K, V> extends Map<K, V> {
  constructor(readonly maxSize: number = DEFAULT_MAX_ENTRIES) {
    super();
    if (!Number.isInteger(maxSize) || maxSize < 1) throw new RangeError(`maxSize must be a positive integer, got ${maxSize}`);
  }

  override set(key: K, value: V): this {
    // Map's constructor calls set() before maxSize exists; it is always empty then.
    if (super.has(key)) super.delete(key);
    super.set(key, value);
    while (this.size > this.maxSize) {
      const oldest = this.keys().next();
      if (oldest.done) break;
      super.delete(oldest.value);
    }
    return this;
  }
}

export class BoundedSet<T> extends Set<T> {
  constructor(readonly maxSize: number = DEFAULT_MAX_ENTRIES) {
    super();
    if (!Number.isInteger(maxSize) || maxSize < 1) throw new RangeError(`maxSize must be a positive integer, got ${maxSize}`);
  }

  override add(value: T): this {
    if (super.has(value)) super.delete(value);
    super.add(value);
    while (this.size > this.maxSize) {
      const oldest = this.values().next();
      if (oldest.done) break;
      super.delete(oldest.value);
    }
    return this;
  }
}
