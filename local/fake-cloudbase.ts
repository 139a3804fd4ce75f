/**
 * An in-memory stand-in for the slice of the CloudBase database API that
 * CloudBaseOrderStore uses (shared by the tests and `npm run bench`'s CloudBase section, which
 * counts calls and adds a delay per call through the hook): add (unique _id), where with equality and the query commands
 * in / lt / lte / gt / gte / exists, orderBy, limit, get, where().update() returning
 * stats.updated (with the update command inc: a missing field counts as 0, as in the
 * database), and where().remove() returning stats.removed. Each update runs to completion
 * in one turn of the event loop, like the database's atomic single-document update, so
 * concurrency tests exercise the same conditional logic; every call yields first, so
 * concurrent callers interleave between their calls as they would over the network.
 */
import type { CloudCollection, CloudDatabase, CloudQuery } from '../server/store/cloudbase/order-store';

type Doc = Record<string, unknown>;
type Cmd = { $in: unknown[] } | { $lt: unknown } | { $lte: unknown } | { $gt: unknown } | { $gte: unknown } | { $exists: boolean } | { $inc: number } | { $set: unknown };

function isCmd(value: unknown, op: string): boolean {
  return value !== null && typeof value === 'object' && op in value;
}

function matches(doc: Doc, condition: Doc): boolean {
  return Object.entries(condition).every(([key, expected]) => {
    const actual = doc[key];
    const e = expected as Record<string, unknown>;
    // A missing field matches `in [null]`, as in the database.
    if (isCmd(expected, '$in')) return (e.$in as unknown[]).includes(actual === undefined ? null : actual);
    if (isCmd(expected, '$exists')) return (actual !== undefined) === e.$exists;
    // Comparisons never match a missing or null field, nor a value of another type (as in the database).
    const comparable = (bound: unknown) => actual !== undefined && actual !== null && typeof actual === typeof bound;
    if (isCmd(expected, '$lt')) return comparable(e.$lt) && (actual as number) < (e.$lt as number);
    if (isCmd(expected, '$lte')) return comparable(e.$lte) && (actual as number) <= (e.$lte as number);
    if (isCmd(expected, '$gt')) return comparable(e.$gt) && (actual as number) > (e.$gt as number);
    if (isCmd(expected, '$gte')) return comparable(e.$gte) && (actual as number) >= (e.$gte as number);
    // Equality with a plain value matches an array field holding it (as in the database).
    if (Array.isArray(actual) && !Array.isArray(expected)) return actual.includes(expected);
    return actual === expected;
  });
}

/** Applies an update's data: plain values are set, `inc` adds (to 0 when the field is missing). */
function applyUpdate(doc: Doc, data: Doc): void {
  for (const [key, value] of Object.entries(data)) {
    if (isCmd(value, '$inc')) doc[key] = (typeof doc[key] === 'number' ? (doc[key] as number) : 0) + (value as { $inc: number }).$inc;
    else if (isCmd(value, '$set')) doc[key] = structuredClone((value as { $set: unknown }).$set);
    else if (value !== null && typeof value === 'object' && !Array.isArray(value) && doc[key] !== null && typeof doc[key] === 'object') {
      // A plain object is merged key by key (the database's partial update); _.set replaces.
      applyUpdate(doc[key] as Doc, value as Doc);
    } else doc[key] = structuredClone(value);
  }
}

const tick = () => new Promise((r) => setImmediate(r));

/** Called before every database call (get, update, remove, add): tests count calls, add latency or "kill" the store by throwing. */
export type CallHook = (call: 'get' | 'update' | 'remove' | 'add') => void | Promise<void>;

class FakeQuery implements CloudQuery {
  constructor(
    protected readonly hook: CallHook,
    private readonly docs: Doc[],
    private readonly condition: Doc = {},
    private readonly order: [string, 'asc' | 'desc'][] = [],
    private readonly max = 100,
  ) {}
  orderBy(field: string, direction: 'asc' | 'desc'): CloudQuery {
    return new FakeQuery(this.hook, this.docs, this.condition, [...this.order, [field, direction]], this.max);
  }
  limit(n: number): CloudQuery {
    return new FakeQuery(this.hook, this.docs, this.condition, this.order, n);
  }
  async get(): Promise<{ data: Doc[] }> {
    await this.hook('get');
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
    await this.hook('update');
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
    await this.hook('remove');
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
  constructor(
    hook: CallHook,
    private readonly store: Doc[],
  ) {
    super(hook, store);
  }
  async add(options: { data: Doc }): Promise<{ _id: string }> {
    await this.hook('add');
    await tick();
    const id = (options.data._id as string | undefined) ?? Math.random().toString(36).slice(2);
    if (this.store.some((d) => d._id === id)) throw new Error(`duplicate key _id ${id}`);
    this.store.push({ ...structuredClone(options.data), _id: id });
    return { _id: id };
  }
  where(condition: Doc): CloudQuery {
    return new FakeQuery(this.hook, this.store, condition);
  }
}

/**
 * A fresh in-memory database. `collections` may be shared between two instances: a store
 * "killed" mid-operation (its hook threw) and a "restarted" one then see the same data.
 */
export function createFakeCloudDatabase(options: { hook?: CallHook; collections?: Map<string, Doc[]> } = {}): CloudDatabase {
  const collections = options.collections ?? new Map<string, Doc[]>();
  const hook: CallHook = options.hook ?? (() => undefined);
  return {
    command: {
      in: (values: unknown[]): Cmd => ({ $in: values }),
      lt: (value: unknown): Cmd => ({ $lt: value }),
      lte: (value: unknown): Cmd => ({ $lte: value }),
      gt: (value: unknown): Cmd => ({ $gt: value }),
      gte: (value: unknown): Cmd => ({ $gte: value }),
      exists: (value: boolean): Cmd => ({ $exists: value }),
      inc: (value: number): Cmd => ({ $inc: value }),
      set: (value: unknown): Cmd => ({ $set: value }),
    },
    collection(name: string) {
      if (!collections.has(name)) collections.set(name, []);
      return new FakeCollection(hook, collections.get(name)!);
    },
  };
}
