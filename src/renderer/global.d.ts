import type { CustodianApi } from '../shared/bridge-api';

declare global {
  interface Window {
    /** The bridge the preload (or the browser bridge client) installs. */
    custodian: CustodianApi;
  }
}
