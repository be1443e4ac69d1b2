/**
 * ISBN-13: the check digit (ISO 2108, weights 1 and 3 alternating, modulo 10) and the 13 digits an EAN-13
 * barcode encodes. Hyphens and spaces are ignored; `ISBN` in front is allowed.
 */

/** The 13 digits of an ISBN-13 written with or without hyphens, or undefined when it has another shape. */
export function isbnDigits(text: string): string | undefined {
  const digits = text.replace(/^ISBN(-13)?:?\s*/i, '').replace(/[-\s]/g, '');
  return /^97[89]\d{10}$/.test(digits) ? digits : undefined;
}

/** The check digit the first twelve digits call for. */
export function isbnCheckDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

export type IsbnProblem = { kind: 'shape' } | { kind: 'check-digit'; expected: number; found: number };

/** Undefined when `text` is a valid ISBN-13; otherwise what is wrong with it. */
export function isbnProblem(text: string): IsbnProblem | undefined {
  const digits = isbnDigits(text);
  if (!digits) return { kind: 'shape' };
  const expected = isbnCheckDigit(digits.slice(0, 12));
  const found = Number(digits[12]);
  return expected === found ? undefined : { kind: 'check-digit', expected, found };
}
