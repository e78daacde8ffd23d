/**
 * State changes close in time, grouped so a chart draws one marker for them: a group starts at its
 * first change and takes every later change less than `gapMs` after that start. Anchoring on the
 * start (not chaining) keeps any two groups at least `gapMs` apart, so their labels never collide.
 */
export function groupByTime<T extends { at: number }>(items: readonly T[], gapMs: number): T[][] {
  const groups: T[][] = [];
  for (const item of [...items].sort((a, b) => a.at - b.at)) {
    const current = groups.at(-1);
    if (current && item.at - current[0]!.at < gapMs) current.push(item);
    else groups.push([item]);
  }
  return groups;
}
