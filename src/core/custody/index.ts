export { loadBag, isBagDeclaration, isUndeclaredBag } from './bagit.js';
export { loadCsvManifest, CSV_MANIFEST } from './csv-manifest.js';
export {
  checkPayload,
  checkTagFile,
  isCustodyMetadata,
  algorithmsFor,
  type DigestAlgorithm,
  type CustodyScope,
  type CustodyExpectation,
  type CustodyVerdict,
} from './custody-scope.js';
export { normalizeManifestPath, relativeManifestPath } from './manifest-path.js';
export { readManifestBytes, ManifestRefused, MAX_MANIFEST_BYTES } from './read-manifest.js';
