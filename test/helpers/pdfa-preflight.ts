import { spawnSync } from 'node:child_process';
import path from 'node:path';

// Debian's Apache PDFBox 2.0.27 (libpdfbox2-java) and what its Preflight needs on Java 17 (libactivation-java,
// libjaxb-api-java): installed by .ci/run, never a runtime dependency.
const JARS = ['preflight', 'pdfbox2', 'fontbox2', 'xmpbox', 'commons-logging', 'javax.activation', 'jaxb-api'].map((j) =>
  path.join('/usr/share/java', `${j}.jar`),
);

/**
 * Apache PDFBox Preflight's verdict on `file`, the only PDF/A validator Debian packages. It knows PDF/A-1b
 * only: `valid` is its "is a valid PDF/A-1b file", `errors` its numbered error lines.
 */
export function preflightA1b(file: string): { valid: boolean; errors: string[]; output: string } {
  const r = spawnSync('java', ['-cp', JARS.join(':'), 'org.apache.pdfbox.preflight.Validator_A1b', file], { encoding: 'utf8' });
  if (r.error) throw r.error;
  const output = r.stdout;
  if (!/PDF\/A-1b file/u.test(output)) throw new Error(`PDFBox Preflight gave no verdict (exit ${r.status}): ${output}${r.stderr}`);
  return { valid: /is a valid PDF\/A-1b file/u.test(output), errors: output.split('\n').filter((l) => /^\d+(\.\d+)* : /u.test(l)), output };
}
