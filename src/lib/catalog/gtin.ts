/** GS1 check digit (mod 10, weights 3 and 1 from the right) for GTIN-8/12/13/14 and other keys. */
export function gs1CheckDigit(digitsWithoutCheck: string): number {
  let sum = 0;
  for (let i = 0; i < digitsWithoutCheck.length; i++) {
    const digit = digitsWithoutCheck.charCodeAt(digitsWithoutCheck.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

export function isValidGtin(gtin: string): boolean {
  if (!/^(\d{8}|\d{12}|\d{13}|\d{14})$/.test(gtin)) return false;
  return gs1CheckDigit(gtin.slice(0, -1)) === Number(gtin.at(-1));
}

/** The 14-digit form used in GS1 Digital Link URIs (left-padded with zeros). */
export function toGtin14(gtin: string): string {
  return gtin.padStart(14, '0');
}

/** Builds a GTIN-13 from 12 data digits (e.g. 893 + company prefix + item reference). */
export function makeGtin13(twelveDigits: string): string {
  if (!/^\d{12}$/.test(twelveDigits)) throw new Error('a GTIN-13 needs 12 data digits');
  return twelveDigits + gs1CheckDigit(twelveDigits);
}
