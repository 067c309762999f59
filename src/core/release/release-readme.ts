/** README.txt of a release: what the folder holds, and how anyone checks it with stock tools. */
export function releaseReadme(fingerprint: string, bates: { first: string; last: string; pages: number }): string {
  return `Records release
===============

This folder is a release of public records: ${bates.pages} page(s), Bates ${bates.first} to ${bates.last}.

- <first Bates number>.pdf: one file per record, its pages numbered consecutively across the release.
- combined.pdf: every page of the release in Bates order.
- exemption-log.csv / exemption-log.pdf: every redaction (a black box on the page, its exemption code
  printed on it) and every page withheld in full, with its Bates page, exemption code, citation and basis.
- release.json: the same facts for programs.

Withheld content is removed, not covered: each page is an image in which the redacted areas were
overwritten before it was saved, and its searchable text holds only the words outside them.

This folder is signed. To check that no file was changed, added or removed since it was written, you need
only OpenSSL 3 and sha256sum (or Custodian: \`custodian release verify <this folder>\`).

1. openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin -in manifest-sha256.txt -sigfile signature.ed25519
   prints "Signature Verified Successfully".
2. sha256sum -c manifest-sha256.txt
   ends every line in "OK"; the folder holds no other files besides manifest-sha256.txt and signature.ed25519.
3. Who signed: obtain the records office's key fingerprint out of band (in person, on paper, by phone),
   never from this folder, and compare it with:
     openssl pkey -pubin -in public-key.pem -outform DER | tail -c 32 | sha256sum
   With Custodian: custodian release verify <this folder> --expect-key <the fingerprint you were given>

For reference only (a forger would change this line too), this folder says it was signed by
  ${fingerprint}
`;
}
