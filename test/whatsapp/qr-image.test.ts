import { afterAll, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { QrImage } from '../../src/whatsapp/qr-image.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';

afterAll(removeTempDirs);

it('keeps the current linking QR as a 400-pixel PNG in the data directory, and removes it once linked', async () => {
  const image = new QrImage(join(tempDir(), 'whatsapp-qr.png'));
  await image.show('2@abc,def,ghi,jkl');
  const first = readFileSync(image.path);
  expect(first.subarray(1, 4).toString()).toBe('PNG');
  expect(first.readUInt32BE(16)).toBe(400); // IHDR width
  await image.show('2@another,qr,code,value');
  expect(readFileSync(image.path).equals(first)).toBe(false); // a new QR replaces the old one
  image.clear();
  expect(existsSync(image.path)).toBe(false);
});
