import { contextBridge, ipcRenderer } from 'electron';
import type { CustodianApi } from '../shared/contract.js';

/** The one bridge the renderer gets: a function per message, no generic send. */
const api: CustodianApi = {
  verifyLedger: () => ipcRenderer.invoke('ledger:verify'),
  listQuarantine: (options) => ipcRenderer.invoke('quarantine:list', options),
};

contextBridge.exposeInMainWorld('custodian', api);
