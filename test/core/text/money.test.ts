import { formatRupiah } from '../../../src/core/text/money.js';

describe('rupiah', () => {
  it.each([[12000, 'Rp 12.000'], [0, 'Rp 0'], [1500000, 'Rp 1.500.000'], [950, 'Rp 950']])('%d reads %s', (amount, text) => {
    expect(formatRupiah(amount)).toBe(text);
  });
});
