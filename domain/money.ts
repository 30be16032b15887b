import Big from "big.js";

/**
 * The one rounding module. Money is `Big` inside `domain/`, a decimal string with two places
 * everywhere else. Amounts round half-up to the cent (`Big.roundHalfUp`), the mode Chinese
 * retail and tax practice use.
 */
export const ROUNDING_MODE = Big.roundHalfUp;

/** A money value inside the domain. */
export type Money = Big;

/** Parses a decimal string (or Big) into money; throws on anything that is not a finite decimal. */
export function money(value: string | number | Big): Big {
  if (typeof value === "string" && !/^-?\d+(\.\d+)?$/.test(value.trim())) {
    throw new Error(`Cannot parse amount: ${value === "" ? "value is empty" : `"${value}" is not a decimal`}`);
  }
  return new Big(value);
}

/** Rounds to cents with the house rounding mode. */
export function roundCents(value: Big): Big {
  return value.round(2, ROUNDING_MODE);
}

/** Formats money as the API's decimal string with exactly two places ("129.00"). */
export function toMoneyString(value: Big): string {
  return roundCents(value).toFixed(2, ROUNDING_MODE);
}

/** A non-money decimal (a rate, a percentage, a count per day) as text with fixed places, rounded half-up. */
export function decimalText(value: Big, places: number): string {
  return value.round(places, ROUNDING_MODE).toFixed(places, ROUNDING_MODE);
}

/** Sums money values exactly. */
export function sum(values: Big[]): Big {
  return values.reduce((acc, v) => acc.plus(v), new Big(0));
}
