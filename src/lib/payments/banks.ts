/** Short names of common NAPAS member banks by BIN (shown next to the VietQR code). */
export const BANKS: Readonly<Record<string, string>> = {
  '970436': 'Vietcombank', '970415': 'VietinBank', '970418': 'BIDV', '970405': 'Agribank',
  '970422': 'MB Bank', '970407': 'Techcombank', '970416': 'ACB', '970432': 'VPBank',
  '970423': 'TPBank', '970403': 'Sacombank', '970437': 'HDBank', '970441': 'VIB',
};

export function bankName(bin: string): string {
  return BANKS[bin] ?? `BIN ${bin}`;
}
