/**
 * Removes C0/C1 control characters except newline and tab: ANSI escapes never reach the terminal.
 * Whatever a teammate typed (a note, a title, their name) may carry ESC sequences that retitle the
 * terminal, rewrite the clipboard (OSC 52) or hide text; the CLI prints none of them.
 */
export function terminalSafe(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}
