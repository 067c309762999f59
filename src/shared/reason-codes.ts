/**
 * Stable reason codes for quarantine and unsupported entries, with the message a clerk reads.
 * Codes are kebab-case and never renamed: reports, the ledger and operators' notes refer to them.
 * docs/cli.md lists the same table.
 */
export const REASON_CODES = {
  // custody (BagIt and custody-manifest.csv)
  'digest-mismatch': 'The file does not match the digest in its custody manifest.',
  'missing-from-payload': 'The custody manifest lists this file, but it is not in the folder.',
  'not-in-manifest': 'The file is in the payload, but its custody manifest does not list it.',
  'manifest-invalid': 'The custody manifest or bag declaration cannot be read as written.',
  retention: 'The custody manifest marks this record expired or destroyed, or gives an unknown retention value.',
  // intake
  'empty-file': 'The file is empty (zero bytes).',
  unreadable: 'The file or folder could not be read.',
  'unreadable-name': 'The file name is not valid UTF-8 and cannot be opened safely; rename the file.',
  vanished: 'The file disappeared or changed type while it was being taken in.',
  'dangling-symlink': 'The link points to nothing.',
  'symlink-loop': 'The link points back into its own folder chain.',
  'symlink-escape': 'The link points outside the dropped folder; it is not followed.',
  'special-file': 'Not a regular file (device, socket or pipe).',
  'unsupported-format': 'Not a PDF, PNG, JPEG or TIFF file.',
  // processing
  'changed-since-intake': 'The file changed after intake: its bytes no longer match the registered SHA-256.',
  'processing-error': 'Processing failed unexpectedly; retry it, and report it if it fails again.',
  // text extraction
  'invalid-pdf': 'The PDF is damaged or not a PDF and cannot be parsed.',
  encrypted: 'The PDF is password-protected; Custodian cannot open it without the password.',
  'undecodable-image': 'The image (or an image in the PDF) cannot be decoded.',
  'too-large': 'A page or image is larger than the processing limit and cannot be reduced safely.',
  'ocr-failed': 'Text recognition failed on this page after every retry.',
  // custody manifests refused unread (issue 14)
  'manifest-not-regular': 'The custody manifest is a link, pipe, socket or device, not a regular file in the folder; it was not read.',
  'manifest-too-large': 'The custody manifest is larger than the 64 MiB cap; it was not read.',
  // batches
  'walk-failed': 'The walk of this batch failed; the batch was cancelled so other batches go on (`batch continue` tries it again).',
} as const;

/** A stable reason code. */
export type ReasonCode = keyof typeof REASON_CODES;

/** The human message for a reason code. */
export function reasonMessage(code: ReasonCode): string {
  return REASON_CODES[code];
}
