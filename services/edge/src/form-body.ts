/**
 * Form bodies without a plugin: `application/x-www-form-urlencoded` (browsers, most mail
 * providers) and `multipart/form-data` (RFC 8058 says one-click POSTs SHOULD use it). Bodies
 * are small (the edge's body limit), so a string parse is enough. Repeated fields: the last wins.
 */

export type FormFields = Record<string, string>;

export function parseUrlEncoded(body: string): FormFields {
  const fields: FormFields = Object.create(null);
  for (const [name, value] of new URLSearchParams(body)) fields[name] = value;
  return fields;
}

/** The text fields of a multipart/form-data body; throws on a body that is not multipart. */
export function parseMultipart(body: string, contentType: string): FormFields {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const marker = boundary?.[1] ?? boundary?.[2];
  if (!marker) throw new Error("multipart/form-data without a boundary");
  const fields: FormFields = Object.create(null);
  const parts = body.split(`--${marker}`);
  // parts[0] is the preamble; the last part starts with "--" (the closing delimiter).
  for (const part of parts.slice(1)) {
    if (part.startsWith("--")) break;
    const headerEnd = part.indexOf("\r\n\r\n");
    if (headerEnd < 0) throw new Error("multipart part without a header block");
    const headers = part.slice(0, headerEnd);
    const name = /content-disposition:[^\r\n]*;\s*name="([^"]*)"/i.exec(headers)?.[1];
    if (name === undefined || /filename=/i.test(headers)) continue;
    fields[name] = part.slice(headerEnd + 4).replace(/\r\n$/, "");
  }
  return fields;
}
