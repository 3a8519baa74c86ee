// Reading an uploaded CSV of serial numbers in the browser, to send it in batches with a
// progress bar (the API takes at most 1,000 serials a call and changes all or nothing per call).

/** The serial numbers of a CSV: the first column of each line, upper-cased, once each; a header row and blank lines skipped. */
export function serialsOfCsv(text: string): string[] {
  const out = new Set<string>();
  for (const line of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const first = line.split(/[,;\t]/)[0]!.trim().replace(/^"(.*)"$/, '$1').trim();
    if (!first || /serial/i.test(first)) continue;
    out.add(first.toUpperCase());
  }
  return [...out];
}

/** `items` in consecutive batches of at most `size`. */
export function batches<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError('batch size must be a positive integer');
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
