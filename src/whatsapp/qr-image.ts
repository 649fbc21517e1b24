/**
 * The current linking QR as a PNG file in the data directory (`data/whatsapp-qr.png`), for the owner's
 * linking page and for owners who cannot see the terminal. Gone once the account is linked.
 */
import { renameSync, rmSync } from 'node:fs';
import QRCode from 'qrcode';

export class QrImage {
  constructor(readonly path: string) {}

  /** Replaces the image with this QR; written aside and renamed, so a reader never sees half a file. */
  async show(qr: string): Promise<void> {
    const partial = `${this.path}.partial`;
    await QRCode.toFile(partial, qr, { type: 'png', width: 400, margin: 2 });
    renameSync(partial, this.path);
  }

  clear(): void {
    rmSync(this.path, { force: true });
  }
}
