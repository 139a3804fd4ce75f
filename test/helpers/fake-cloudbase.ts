/**
 * An in-memory stand-in for the slice of the CloudBase database API that
 * CloudBaseOrderStore uses: add (unique _id), where with equality / in / lt,
 * orderBy, limit, get, and where().update() (with _.inc) returning stats.updated. Each update
 * runs to completion in one turn of the event loop, like the database's atomic
 * single-document update, so concurrency tests exercise the same conditional logic.
 */
import type { CloudCollection, CloudDatabase, CloudQuery } from '../../server/orders/cloudbase-store';

type Doc = Record<string, unknown>;
type Cmd = { $in: unknown[] } | { $lt: unknown };

function matches(doc: Doc, condition: Doc): boolean {
  return Object.entries(condition).every(([key, expected]) => {
    const actual = doc[key];
    if (expected && typeof expected === 'object' && '$in' in expected) return (expected as { $in: unknown[] }).$in.includes(actual);
    if (expected && typeof expected === 'object' && '$lt' in expected) return (actual as number) < ((expected as { $lt: number }).$lt);
    return actual === expected;
  });
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
        for (const [key, value] of Object.entries(structuredClone(options.data))) {
          // _.inc(n): the database adds atomically; anything else is set.
          doc[key] = value && typeof value === 'object' && '$inc' in value ? Number(doc[key] ?? 0) + (value as { $inc: number }).$inc : value;
        }
        updated++;
      }
    }
    return { stats: { updated } };
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
      inc: (by: number) => ({ $inc: by }),
    },
    collection(name: string) {
      if (!collections.has(name)) collections.set(name, []);
      return new FakeCollection(collections.get(name)!);
    },
  };
}
