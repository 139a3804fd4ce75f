import { BoundedMap, BoundedSet } from '../../local/bounded-map';

describe('BoundedMap', () => {
  it('keeps at most maxSize entries, evicting the oldest inserted', () => {
    const m = new BoundedMap<string, number>(3);
    for (const [i, k] of ['a', 'b', 'c', 'd', 'e'].entries()) m.set(k, i);
    expect([...m.keys()]).toEqual(['c', 'd', 'e']);
    expect(m.get('a')).toBeUndefined();
  });

  it('setting a key again makes it the newest', () => {
    const m = new BoundedMap<string, number>(2);
    m.set('a', 1).set('b', 2).set('a', 3).set('c', 4);
    expect([...m.entries()]).toEqual([['a', 3], ['c', 4]]);
  });

  it('refuses a size that is not a positive integer', () => {
    expect(() => new BoundedMap(0)).toThrow(RangeError);
    expect(() => new BoundedSet(1.5)).toThrow(RangeError);
  });

  it('stays at its bound under many inserts', () => {
    const m = new BoundedMap<number, number>(1000);
    const s = new BoundedSet<number>(10);
    for (let i = 0; i < 50_000; i++) {
      m.set(i, i);
      s.add(i);
    }
    expect(m.size).toBe(1000);
    expect(s.size).toBe(10);
    expect(s.has(49_999) && !s.has(0)).toBe(true);
  });
});
