/**
 * `multipart/related` bodies as Drive takes them for uploadType=multipart
 * (RFC 2387): exactly two parts, the metadata as JSON first, then the media
 * with its own Content-Type. The CRLF before each delimiter belongs to it.
 */

export interface Part {
  headers: Record<string, string>;
  body: Buffer;
}

export class InvalidMultipart extends Error {}

export function boundaryOf(contentType: string | undefined): string {
  const match = /^multipart\/related\s*;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) throw new InvalidMultipart('Content-Type must be multipart/related with a boundary');
  return boundary;
}

export function parseMultipart(body: Buffer, boundary: string): Part[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let at = body.indexOf(delimiter);
  if (at !== 0) throw new InvalidMultipart('the body does not start with the boundary');
  for (;;) {
    at += delimiter.length;
    if (body.subarray(at, at + 2).toString() === '--') break; // close delimiter
    if (body.subarray(at, at + 2).toString() !== '\r\n') throw new InvalidMultipart('a boundary line must end with CRLF');
    at += 2;
    const headerEnd = body.indexOf('\r\n\r\n', at);
    if (headerEnd < 0) throw new InvalidMultipart('a part has no header end');
    const headers: Record<string, string> = {};
    for (const line of body.subarray(at, headerEnd).toString('latin1').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon <= 0) throw new InvalidMultipart(`bad part header "${line}"`);
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next < 0) throw new InvalidMultipart('a part is not closed by the boundary');
    parts.push({ headers, body: body.subarray(headerEnd + 4, next) });
    at = next + 2;
  }
  return parts;
}
