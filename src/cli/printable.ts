/**
 * Text that came from a plan, a tool or a model, made safe to print on a terminal. Descriptions, reasons, error
 * messages and approvers' comments are written by whoever wrote the plan or answered the step — a web page, a model —
 * and a control character among them (ESC, a C1 CSI, BEL) would make the terminal act on it: move the cursor and
 * spoil the live view, rewrite what is already on screen, set the window title, or put text in the clipboard
 * (OSC 52). Each one is shown as U+FFFD instead; line breaks stay (CRLF as LF), tabs become a space.
 */
export function printable(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .replace(/\t/g, ' ')
    .replace(/(?!\n)\p{Cc}/gu, '\uFFFD');
}
