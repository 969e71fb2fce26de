/**
 * What the CLI prints as text reaches a terminal: control characters from
 * user data (a title with ESC [31m or an OSC 8 link, a file name with a
 * bell) are removed so nothing can recolour, retitle or rewrite the
 * terminal. Newlines and tabs stay; a carriage return stays only where the
 * CLI draws its own live progress line (`keepCarriageReturn`).
 */

// C0 controls except \t \n (and \r, handled apart), DEL, and the C1 range (0x80–0x9f, which includes CSI 0x9b).
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

export function terminalSafe(text: string, keepCarriageReturn = false): string {
  const stripped = text.replace(CONTROLS, '');
  return keepCarriageReturn ? stripped : stripped.replace(/\r/g, '');
}
