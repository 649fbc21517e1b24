/** Money as Indonesians read it: Rp 12.000 (dots group thousands, no decimals for rupiah). */
const RUPIAH = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 0 });

export function formatRupiah(amount: number): string {
  return `Rp ${RUPIAH.format(amount)}`;
}
