import type { ReasonCode } from './reason-codes.js';

/** What a clerk can do about each quarantine reason, in plain words: the next step, not the diagnosis. */
export const NEXT_STEPS: Record<ReasonCode, string> = {
  'digest-mismatch': 'Ask the sender for a fresh copy of the file, or a corrected manifest; then Retry. Release only if the difference is explained.',
  'missing-from-payload': 'Ask the sender for the missing file and put it in the folder, then Retry. Release if the sender confirms it was never sent.',
  'not-in-manifest': 'Ask the sender whether the file belongs to the transfer and for a corrected manifest; then Retry.',
  'manifest-invalid': 'Ask the sender for a readable manifest (or bag declaration), replace it in the folder, then Retry.',
  retention: 'Check the retention schedule with the records officer. Release with their decision, or leave it held.',
  'empty-file': 'The file has no content. Ask for the original, or Release it if an empty file is expected.',
  unreadable: 'Check that the drive is connected and the file can be opened, then Retry.',
  'unreadable-name': 'Rename the file to use ordinary letters, then Retry.',
  vanished: 'Put the file back in its folder (or reconnect the drive), then Retry.',
  'dangling-symlink': 'The shortcut points to nothing: copy the real file into the folder, then Retry.',
  'symlink-loop': 'Replace the looping shortcut with the real files, then Retry.',
  'symlink-escape': 'Copy the file the shortcut points to into the folder, then Retry.',
  'special-file': 'This is not a document. Release it: nothing is lost.',
  'unsupported-format': 'Convert the file to PDF, PNG, JPEG or TIFF and take it in again; Release this entry.',
  'changed-since-intake': 'Someone changed the file after intake. Restore the original, then Retry; or take the new version in as a new record.',
  'processing-error': 'Retry. If it fails again, Release it with a note and tell support (give the code shown).',
  'invalid-pdf': 'Ask for an undamaged copy, or print it to PDF again; take that in and Release this one.',
  encrypted: 'Ask the sender for a copy without a password; take that in and Release this one.',
  'undecodable-image': 'Ask for the scan again in another format (PDF or TIFF); take that in and Release this one.',
  'too-large': 'Ask for the scan at a lower resolution (300 DPI is enough); take that in and Release this one.',
  'ocr-failed': 'Retry. If it fails again, the page may be blank or unreadable: Release it with a note.',
  'manifest-not-regular': 'Ask the sender for the manifest as an ordinary file (not a shortcut or pipe), put it in the folder, then Retry the files.',
  'manifest-too-large': 'Ask the sender to split the transfer so each manifest is under 64 MiB, then take the folders in again.',
  'walk-failed': 'Check that the folder is still there and readable, then Continue the batch; report it if it fails again.',
};
