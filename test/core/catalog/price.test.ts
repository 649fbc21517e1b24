import { parsePrice } from '../../../src/core/catalog/price.js';

describe('prices as shops write them', () => {
  it.each([
    ['12000', 12000], ['12.000', 12000], ['Rp 12.000', 12000], ['Rp12.000,00', 12000], ['IDR 1,250,000', 1250000], ['rp. 5.000', 5000], ['0', 0],
  ])('%s is %d rupiah', (text, rupiah) => expect(parsePrice(text)).toBe(rupiah));

  it.each(['', 'gratis', '12.5', '1.2.3', '-5000', 'Rp'])('"%s" is not a price', (text) => expect(parsePrice(text)).toBeUndefined());
});
