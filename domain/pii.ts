/** Masks a phone number to its first 3 and last 4 digits: 13812341234 → 138****1234. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, "");
  if (digits.length < 7) return "*".repeat(digits.length);
  return `${digits.slice(0, 3)}${"*".repeat(digits.length - 7)}${digits.slice(-4)}`;
}

/** Masks an ID number to its first 3 and last 4 characters: 110101199001011234 → 110***********1234. */
export function maskIdNumber(id: string): string {
  if (id.length < 8) return "*".repeat(id.length);
  return `${id.slice(0, 3)}${"*".repeat(id.length - 7)}${id.slice(-4)}`;
}

/**
 * Masks an application's contact: a phone number (digits with spaces, dashes, dots, brackets or a
 * leading +) as {@link maskPhone}; anything else (a WeChat id, an email) keeps its first and last 2
 * characters: wxid_abc123 → wx*******23. Five characters or fewer are masked entirely.
 */
export function maskContact(contact: string): string {
  const text = contact.trim();
  if (/^\+?[\d\s().-]+$/.test(text) && text.replace(/\D/g, "").length >= 7) return maskPhone(text);
  const chars = [...text];
  if (chars.length <= 5) return "*".repeat(chars.length);
  return `${chars.slice(0, 2).join("")}${"*".repeat(chars.length - 4)}${chars.slice(-2).join("")}`;
}
