/**
 * Characters a terminal acts on instead of showing: C0 controls except tab and newline handled below, DEL,
 * C1 controls (0x80–0x9f, which include the 8-bit CSI and OSC introducers), and the Unicode bidi controls
 * that reorder what follows (so `invoice\u202efdp.exe` cannot pose as `invoiceexe.pdf`).
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A string as it may be printed on a terminal: every control and bidi override becomes a visible `\uXXXX`
 * escape, so a hostile file name or text layer cannot clear the screen, retitle the window, move the
 * cursor or reverse the letters that follow. For one-line fields (file names, reasons).
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Multi-line text (a page's extracted text) made safe the same way, keeping its line breaks and tabs:
 * each line is escaped on its own, so a stray carriage return cannot overwrite what came before.
 */
export function terminalSafeText(text: string): string {
  return text
    .split('\n')
    .map((line) => line.split('\t').map(terminalSafe).join('\t'))
    .join('\n');
}
