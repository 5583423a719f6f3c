/**
 * HTML built only through the `html` tag: every interpolated value is escaped unless it is
 * already `SafeHtml` (the result of another `html` call, or a constant of the page module). A
 * page cannot forget to escape an account name or a reason: text only gets in through here.
 */

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join("");
  if (value === undefined || value === null || value === false) return "";
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? "";
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? "");
  return new SafeHtml(out);
}

/** A translated sentence with `{name}` placeholders: the sentence is escaped, the values are rendered (escaped unless SafeHtml). */
export function fill(template: string, values: Record<string, unknown>): SafeHtml {
  let out = "";
  let last = 0;
  for (const match of template.matchAll(/\{([a-z]+)\}/g)) {
    out += escapeHtml(template.slice(last, match.index));
    out += Object.hasOwn(values, match[1]!) ? render(values[match[1]!]) : escapeHtml(match[0]);
    last = match.index + match[0].length;
  }
  return new SafeHtml(out + escapeHtml(template.slice(last)));
}
