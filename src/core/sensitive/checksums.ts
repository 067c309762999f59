/** Luhn (mod 10) check of a digit string, as payment cards use it. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** ABA routing number check: weights 3, 7, 1 repeated; the sum is a multiple of 10. */
export function abaValid(digits: string): boolean {
  if (!/^\d{9}$/u.test(digits)) return false;
  const w = [3, 7, 1, 3, 7, 1, 3, 7, 1];
  const sum = [...digits].reduce((s, d, i) => s + Number(d) * w[i]!, 0);
  return sum % 10 === 0 && digits !== '000000000';
}
