import { describe, expect, it } from 'vitest';
import { closestName, editDistance } from '../../functions/core/suggest.js';

describe('did you mean', () => {
  it('edit distance counts inserts, deletes and substitutions', () => {
    expect(editDistance('orders', 'orders')).toBe(0);
    expect(editDistance('ordres', 'orders')).toBe(2);
    expect(editDistance('order', 'orders')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests the nearest name within a third of its length, case-insensitively', () => {
    expect(closestName('ordres', ['customers', 'orders', 'order_items'])).toBe('orders');
    expect(closestName('ORDERS', ['customers', 'orders'])).toBe('orders');
    expect(closestName('x-versoin', ['x-version', 'x-owner'])).toBe('x-version');
  });

  it('suggests nothing when no name is near, or when there is nothing to choose from', () => {
    expect(closestName('nope', ['orders', 'customers'])).toBeUndefined();
    expect(closestName('x', ['orders'])).toBeUndefined();
    expect(closestName('orders', [])).toBeUndefined();
    expect(closestName('a'.repeat(300), ['a'.repeat(300)])).toBeUndefined();
  });
});
