/** Shows a message in the terminal the way WhatsApp renders it: *bold*, _italic_, ~strike~, ```monospace```. */

const ANSI: Record<string, [string, string]> = {
  '*': ['\x1b[1m', '\x1b[22m'],
  _: ['\x1b[3m', '\x1b[23m'],
  '~': ['\x1b[9m', '\x1b[29m'],
};

/** A marked span as WhatsApp finds it: the marks hug the text and stand at word boundaries. */
function span(mark: string): RegExp {
  const m = `\\${mark}`;
  return new RegExp(`(^|[\\s(])${m}([^\\s${m}](?:[^${m}\\n]*[^\\s${m}])?)${m}(?=$|[\\s).,!?:;])`, 'gm');
}

export function renderWhatsApp(text: string, color: boolean): string {
  if (!color) return text;
  let out = text.replace(/```([^`]+)```/g, '\x1b[2m$1\x1b[22m');
  for (const [mark, [on, off]] of Object.entries(ANSI)) {
    out = out.replace(span(mark), (_all, before: string, inner: string) => `${before}${on}${inner}${off}`);
  }
  return out;
}
