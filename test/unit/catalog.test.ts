import { Catalog } from '../../server/core/catalog';

const catalog = new Catalog([
  { sku: 'a', name: 'A', prices: { NZD: 550, LAK: 75000 } },
  { sku: 'b', name: 'B', prices: { NZD: 1999 } },
]);

describe('catalog pricing (server side only)', () => {
  it('prices lines from the catalog', () => {
    const { total, lines, description } = catalog.price([{ sku: 'a', quantity: 2 }, { sku: 'b', quantity: 1, price: 1 }], 'NZD');
    expect(total).toEqual({ amount: 3099, currency: 'NZD' });
    expect(lines[0]).toEqual({ sku: 'a', name: 'A', quantity: 2, unitPrice: 550 });
    expect(description).toBe('A x2, B');
  });

  it.each([
    [[], 'items'],
    ['x', 'items'],
    [[{ quantity: 1 }], 'items[0].sku'],
    [[{ sku: 'zzz', quantity: 1 }], 'items[0].sku'],
    [[{ sku: 'a', quantity: 0 }], 'items[0].quantity'],
    [[{ sku: 'a', quantity: 1.5 }], 'items[0].quantity'],
    [[{ sku: 'a', quantity: '2' }], 'items[0].quantity'],
    [[{ sku: 'a', quantity: 1 }, { sku: 'a', quantity: 1 }], 'items[1].sku'],
  ])('refuses %j naming %s', (items, field) => {
    expect(() => catalog.price(items, 'NZD')).toThrow(expect.objectContaining({ field }));
  });

  it('does not sell an item in a currency it has no price in', () => {
    expect(() => catalog.price([{ sku: 'b', quantity: 1 }], 'LAK')).toThrow(/not sold in LAK/);
    expect(catalog.list('LAK').map((i) => i.sku)).toEqual(['a']);
  });
});
