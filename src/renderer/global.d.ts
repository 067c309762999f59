import type { CustodianApi } from '../shared/contract';

declare global {
  interface Window {
    /** The bridge the preload (or the browser test bridge) installs. */
    custodian: CustodianApi;
  }
}
