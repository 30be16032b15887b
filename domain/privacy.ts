/**
 * What a distributor may see of the members in their downline: full names for their own
 * referrals (tier 1), masked names beyond that.
 */

const segmenter = new Intl.Segmenter("zh-CN", { granularity: "grapheme" });

/** The visible characters (grapheme clusters) of a name, surrounding white space removed. */
function graphemes(name: string): string[] {
  return [...segmenter.segment(name.trim())].map((s) => s.segment);
}

/**
 * Masks a name to its first character followed by two stars ("王小明" → "王**", "Alice" → "A**").
 * The number of stars is fixed, so the mask does not reveal the name's length; a name of one
 * character (which would show in full) or an empty name becomes "***".
 */
export function maskName(name: string): string {
  const chars = graphemes(name);
  if (chars.length <= 1) return "***";
  return `${chars[0]}**`;
}

/** A downline member's name as the distributor `tier` levels above them may see it. */
export function visibleName(name: string, tier: number): string {
  return tier === 1 ? name : maskName(name);
}
