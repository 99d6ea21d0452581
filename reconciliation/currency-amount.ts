/**
 * Money on a settlement statement: decimal amounts in a currency's major unit ("123.45",
 * "-20.00") read exactly into integer minor units, and written back the same way. No binary
 * float ever holds an amount: the digits are parsed as text.
 */

const digitsByCurrency = new Map<string, number>();

/**
 * Digits after the decimal point of a currency (ISO 4217 minor unit): 2 for USD and EUR, 0
 * for JPY and VND, 3 for KWD. From the runtime's ICU data, as config/ does for CLV_CURRENCY.
 */
export function minorUnitDigits(currency: string): number {
  let digits = digitsByCurrency.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsByCurrency.set(currency, digits);
  }
  return digits;
}

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/**
 * `text` as a signed count of the currency's minor units, or why it is not one: a plain
 * decimal (optional sign, digits, optional point and at most the currency's fraction digits;
 * no thousands separators, no exponent) whose value is a safe integer of minor units.
 */
export function parseDecimalAmount(text: string, currency: string): { minor: number } | { error: string } {
  const m = DECIMAL.exec(text);
  if (!m) return { error: `amount "${text}" is not a decimal number such as 123.45 or -20.00` };
  const digits = minorUnitDigits(currency);
  const fraction = m[3] ?? '';
  if (fraction.length > digits) return { error: `amount "${text}" has ${fraction.length} decimals; ${currency} has ${digits}` };
  const minor = Number(m[2] + fraction.padEnd(digits, '0'));
  if (!Number.isSafeInteger(minor)) return { error: `amount "${text}" is too large` };
  return { minor: m[1] === '-' && minor !== 0 ? -minor : minor };
}

/** Minor units as a decimal in the major unit with the currency's digits: -2000 USD → "-20.00". */
export function formatMinor(minor: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  const sign = minor < 0 ? '-' : '';
  const text = String(Math.abs(minor)).padStart(digits + 1, '0');
  return digits === 0 ? sign + text : `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}
