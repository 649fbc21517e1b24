/** What the owner sees while linking the shop's WhatsApp: the QR or pairing code, and plain instructions. */
import qrcode from 'qrcode-terminal';

export function showQr(qr: string, out: NodeJS.WritableStream = process.stdout): void {
  qrcode.generate(qr, { small: true }, (art) => {
    out.write(`\nLink the shop's WhatsApp: on the shop's phone open WhatsApp → Settings → Linked devices → Link a device, and scan:\n\n${art}\n`);
    out.write('(A new QR appears every 20 seconds or so until one is scanned.)\n');
  });
}

export function showPairingCode(code: string, out: NodeJS.WritableStream = process.stdout): void {
  const shown = code.length === 8 ? `${code.slice(0, 4)}-${code.slice(4)}` : code;
  out.write(`\nLink the shop's WhatsApp: on the shop's phone open WhatsApp → Settings → Linked devices → Link a device → "Link with phone number instead", and enter:\n\n    ${shown}\n\n`);
}
