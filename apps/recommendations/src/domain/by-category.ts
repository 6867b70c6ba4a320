/**
 * `ranked` products grouped by category, each group in `ranked`'s order (what `trendingIn` answers);
 * a product without a category is left out.
 */
export function groupByCategory(
  ranked: readonly string[],
  categoryOf: (productId: string) => string | undefined,
): Map<string, string[]> {
  const byCategory = new Map<string, string[]>();
  for (const p of ranked) {
    const c = categoryOf(p);
    if (c === undefined) continue;
    const list = byCategory.get(c) ?? [];
    list.push(p);
    byCategory.set(c, list);
  }
  return byCategory;
}
