/** Media types Custodian processes. */
export type SupportedMediaType = 'application/pdf' | 'image/png' | 'image/jpeg' | 'image/tiff';

/** How many leading bytes {@link detectFormat} needs. PDF readers accept `%PDF-` anywhere in the first 1024 bytes. */
export const SNIFF_BYTES = 1024;

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(head: Uint8Array, bytes: number[]): boolean {
  return head.length >= bytes.length && bytes.every((b, i) => head[i] === b);
}

/**
 * The media type from a file's leading bytes (never its name), or null when unsupported.
 * TIFF includes BigTIFF; PDF allows junk before the header as readers do.
 */
export function detectFormat(head: Uint8Array): SupportedMediaType | null {
  if (startsWith(head, PNG)) return 'image/png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) return 'image/tiff';
  if (startsWith(head, [0x49, 0x49, 0x2b, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2b])) return 'image/tiff';
  if (Buffer.from(head.buffer, head.byteOffset, Math.min(head.length, SNIFF_BYTES)).includes('%PDF-', 0, 'latin1')) {
    return 'application/pdf';
  }
  return null;
}
