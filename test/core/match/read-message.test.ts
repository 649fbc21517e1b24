import { describe, expect, it } from '@jest/globals';
import { readMessage } from '../../../src/core/match/read-message.js';
import { shopVocabulary } from '../../../src/flows/matching.js';

/** The standard words each word of `text` is first read as. */
function firstReadings(vocabulary: ReturnType<typeof shopVocabulary>, text: string): string[] {
  return readMessage(vocabulary, text).map((word) => word.readings[0]!.tokens.join(' '));
}

describe('reading a message', () => {
  it('reads the same text again through the shop whose words it is read with, not the last one', () => {
    const plain = shopVocabulary({});
    const shop = shopVocabulary({ kain: 'batik' });
    expect(firstReadings(plain, 'kain')).toEqual(['kain']);
    expect(firstReadings(shop, 'kain')).toEqual(['batik']);
    expect(firstReadings(plain, 'kain')).toEqual(['kain']);
  });

  it('reads a new text afresh', () => {
    const vocabulary = shopVocabulary({});
    expect(firstReadings(vocabulary, 'mksh kak')).toEqual(['terima kasih', 'kakak']);
    expect(firstReadings(vocabulary, 'yg murah')).toEqual(['yang', 'murah']);
  });
});
