/**
 * An entry's words as a short name for the buttons acting on it ("Mark done: roll back 4.2.1"),
 * so a screen reader's list of buttons says which entry each one is for. Markdown marks go; a
 * redacted entry is named as such, never by its former words.
 */
export function entryName(text: string, redacted: boolean, max = 48): string {
  if (redacted || !text.trim()) return 'a redacted entry';
  const line = text.trim().split('\n')[0]!.replace(/[*_`#>]+/g, '').trim();
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}
