import { badRequest } from '../http/errors';

/** One field of a `multipart/form-data` body. */
export interface MultipartField {
  data: Buffer;
  filename?: string;
  contentType?: string;
}

/** An upload carries three fields (Path, Visibility, Content): a body with many more is not one. */
const MAX_PARTS = 16;
/** The headers of one part (Content-Disposition, Content-Type) fit well within this. */
const MAX_PART_HEADER_BYTES = 8 * 1024;

function malformed(detail: string): Error {
  return badRequest(20001, `Malformed multipart/form-data body: ${detail}`);
}

/** The boundary of a `multipart/form-data` Content-Type, or undefined for another type. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return undefined;
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return match ? (match[1] ?? match[2]) : undefined;
}

function parseHeaders(block: string): { name: string; filename?: string; contentType?: string } {
  let name: string | undefined;
  let filename: string | undefined;
  let contentType: string | undefined;
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const header = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (header === 'content-type') contentType = value;
    if (header !== 'content-disposition') continue;
    name = /;\s*name="([^"]*)"/i.exec(value)?.[1];
    filename = /;\s*filename="([^"]*)"/i.exec(value)?.[1];
  }
  if (name === undefined) throw malformed('a part has no Content-Disposition name');
  return { name, ...(filename !== undefined ? { filename } : {}), ...(contentType !== undefined ? { contentType } : {}) };
}

/**
 * Parses a `multipart/form-data` body (RFC 7578) already bounded in size by the reader: at most
 * 16 parts, 8 KiB of headers each. The first field of a name wins.
 */
export function parseMultipart(body: Buffer, boundary: string): Map<string, MultipartField> {
  const delimiter = Buffer.from(`--${boundary}`);
  const fields = new Map<string, MultipartField>();
  let position = body.indexOf(delimiter);
  if (position < 0) throw malformed('no boundary');
  for (let parts = 0; ; parts += 1) {
    position += delimiter.length;
    if (body.subarray(position, position + 2).toString('latin1') === '--') return fields; // the closing delimiter
    if (parts >= MAX_PARTS) throw malformed(`more than ${MAX_PARTS} parts`);
    if (body.subarray(position, position + 2).toString('latin1') !== '\r\n') throw malformed('no line break after a boundary');
    const headersEnd = body.indexOf('\r\n\r\n', position + 2);
    if (headersEnd < 0 || headersEnd - position > MAX_PART_HEADER_BYTES) throw malformed('part headers not terminated');
    const headers = parseHeaders(body.subarray(position + 2, headersEnd).toString('utf8'));
    const dataStart = headersEnd + 4;
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), dataStart);
    if (next < 0) throw malformed('a part is not closed by a boundary');
    if (!fields.has(headers.name)) {
      const { name, ...rest } = headers;
      fields.set(name, { data: body.subarray(dataStart, next), ...rest });
    }
    position = next + 2;
  }
}
