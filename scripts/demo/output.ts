// Console helpers for `npm run demo`: colours only on a terminal (and never with NO_COLOR).
const color = process.stdout.isTTY === true && !process.env.NO_COLOR;

const wrap = (open: number, close: number) => (text: string) => (color ? `\x1b[${open}m${text}\x1b[${close}m` : text);

export const dim = wrap(2, 22);
export const bold = wrap(1, 22);
export const red = wrap(31, 39);
export const green = wrap(32, 39);
export const yellow = wrap(33, 39);
export const cyan = wrap(36, 39);

/** A line from the demo itself. */
export function say(line: string): void {
  process.stdout.write(`${cyan("demo")}   ${line}\n`);
}

/** A line from the control plane, dimmed and prefixed so the demo's own lines stand out. */
export function serverLine(line: string, stream: "stdout" | "stderr"): void {
  const text = `server │ ${line}`;
  process[stream].write(`${dim(text)}\n`);
}

export const formatNumber = (value: number) => Math.round(value).toLocaleString("en-US");
