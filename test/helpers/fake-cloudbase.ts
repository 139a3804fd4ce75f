/**
 * An in-memory stand-in for the slice of the CloudBase database API that
 * CloudBaseOrderStore uses: add (unique _id), where with equality and the query commands
 * in / lt / lte / gt / gte / exists, orderBy, limit, get, where().update() returning
 * stats.updated (with the update command inc: a missing field counts as 0, as in the
 * database), and where().remove() returning stats.removed. Each update runs to completion
 * in one turn of the event loop, like the database's atomic single-document update, so
 * concurrency tests exercise the same conditional logic; every call yields first, so
 * concurrent callers interleave between their calls as they would over the network.
 */
import type { CloudCollection, CloudDatabase, CloudQuery } from '../../server/orders/cloudbase-store';

type Doc = Record<string, unknown>;
type Cmd = { $in: unknown[] } | { $lt: unknown } | { $lte: unknown } | { $gt: unknown } | { $gte: unknown } | { $exists: boolean } | { $inc: number };

function isCmd(value: unknown, op: string): boolean {
  return value !== null && typeof value === 'object' && op in value;
}

function matches(doc: Doc, condition: Doc): boolean {
  return Object.entries(condition).every(([key, expected]) => {
    const actual = doc[key];
    const e = expected as Record<string, unknown>;
    if (isCmd(expected, '$in')) return (e.$in as unknown[]).includes(actual);
    if (isCmd(expected, '$exists')) return (actual !== undefined) === e.$exists;
    // Comparisons never match a missing field (as in the database).
    if (isCmd(expected, '$lt')) return actual !== undefined && (actual as number) < (e.$lt as number);
    if (isCmd(expected, '$lte')) return actual !== undefined && (actual as number) <= (e.$lte as number);
    if (isCmd(expected, '$gt')) return actual !== undefined && (actual as number) > (e.$gt as number);
    if (isCmd(expected, '$gte')) return actual !== undefined && (actual as number) >= (e.$gte as number);
    return actual === expected;
  });
}

/** Applies an update's data: plain values are set, `inc` adds (to 0 when the field is missing). */
function applyUpdate(doc: Doc, data: Doc): void {
  for (const [key, value] of Object.entries(data)) {
    if (isCmd(value, '$inc')) doc[key] = (typeof doc[key] === 'number' ? (doc[key] as number) : 0) + (value as { $inc: number }).$inc;
    else doc[key] = structuredClone(value);
  }
}

const tick = () => new Promise((r) => setImmediate(r));

class FakeQuery implements CloudQuery {
  constructor(
    private readonly docs: Doc[],
    private readonly condition: Doc = {},
    private readonly order: [string, 'asc' | 'desc'][] = [],
    private readonly max = 100,
  ) {}
  orderBy(field: string, direction: 'asc' | 'desc'): CloudQuery {
    return new FakeQuery(this.docs, this.condition, [...this.order, [field, direction]], this.max);
  }
  limit(n: number): CloudQuery {
    return new FakeQuery(this.docs, this.condition, this.order, n);
  }
  async get(): Promise<{ data: Doc[] }> {
    await tick();
    const found = this.docs.filter((d) => matches(d, this.condition));
    found.sort((a, b) => {
      for (const [field, dir] of this.order) {
        const x = a[field] as number | string;
        const y = b[field] as number | string;
        if (x !== y) return (x < y ? -1 : 1) * (dir === 'asc' ? 1 : -1);
      }
      return 0;
    });
    return { data: found.slice(0, this.max).map((d) => structuredClone(d)) };
  }
  async update(options: { data: Doc }): Promise<{ stats: { updated: number } }> {
    await tick();
    let updated = 0;
    for (const doc of this.docs) {
      if (matches(doc, this.condition)) {
        applyUpdate(doc, options.data);
        updated++;
      }
    }
    return { stats: { updated } };
  }
  async remove(): Promise<{ stats: { removed: number } }> {
    await tick();
    let removed = 0;
    for (let i = this.docs.length - 1; i >= 0; i--) {
      if (matches(this.docs[i] as Doc, this.condition)) {
        this.docs.splice(i, 1);
        removed++;
      }
    }
    return { stats: { removed } };
  }
}

class FakeCollection extends FakeQuery implements CloudCollection {
  constructor(private readonly store: Doc[]) {
    super(store);
  }
  async add(options: { data: Doc }): Promise<{ _id: string }> {
    await tick();
    const id = (options.data._id as string | undefined) ?? Math.random().toString(36).slice(2);
    if (this.store.some((d) => d._id === id)) throw new Error(`duplicate key _id ${id}`);
    this.store.push({ ...structuredClone(options.data), _id: id });
    return { _id: id };
  }
  where(condition: Doc): CloudQuery {
    return new FakeQuery(this.store, condition);
  }
}

export function createFakeCloudDatabase(): CloudDatabase {
  const collections = new Map<string, Doc[]>();
  return {
    command: {
      in: (values: unknown[]): Cmd => ({ $in: values }),
      lt: (value: unknown): Cmd => ({ $lt: value }),
      lte: (value: unknown): Cmd => ({ $lte: value }),
      gt: (value: unknown): Cmd => ({ $gt: value }),
      gte: (value: unknown): Cmd => ({ $gte: value }),
      exists: (value: boolean): Cmd => ({ $exists: value }),
      inc: (value: number): Cmd => ({ $inc: value }),
    },
    collection(name: string) {
      if (!collections.has(name)) collections.set(name, []);
      return new FakeCollection(collections.get(name)!);
    },
  };
}
