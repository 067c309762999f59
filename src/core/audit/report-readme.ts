/** README.txt of a report: how to check it with stock tools, without Custodian. */
export function verificationReadme(fingerprint: string): string {
  return `Custodian audit report
======================

This folder is signed. To check that no file was changed, added or removed since it was written, you
need only OpenSSL 3 and sha256sum (or Custodian: \`custodian report verify <this folder>\`).

1. Check that the signature over the manifest was made by the key in public-key.pem:

     openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin -in manifest-sha256.txt -sigfile signature.ed25519

   It prints "Signature Verified Successfully".

2. Check every file against the manifest:

     sha256sum -c manifest-sha256.txt

   Every line ends in "OK". The folder must hold no files besides those listed, manifest-sha256.txt and
   signature.ed25519.

3. Check WHO signed: steps 1 and 2 prove only that whoever holds the key in public-key.pem signed this
   folder. Anyone can make a new key, edit the files and sign them again. So obtain the workstation's
   fingerprint out of band (in person, on paper, by a phone call to the records office), never from this
   report, and compare it with the fingerprint of public-key.pem (SHA-256 of the raw 32-byte Ed25519 key):

     openssl pkey -pubin -in public-key.pem -outform DER | tail -c 32 | sha256sum

   With Custodian: custodian report verify <this folder> --expect-key <the fingerprint you were given>

   For reference only (a forger would change this line too), this folder says it was signed by
     ${fingerprint}

report.json holds the same facts as report.pdf; ledger.jsonl holds the audit-ledger entries in scope,
each with its hash and the hash of the entry before it (entry hash = SHA-256 of the previous hash and the
RFC 8785 canonical JSON of the entry without its hash).
`;
}
