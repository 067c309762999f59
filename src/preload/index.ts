import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { bridgeMethods, type AppEvent, type CustodianApi, type Reply } from '../shared/bridge-api.js';

/** The one bridge the renderer gets: a function per message (no generic send), events, and dropped-file paths. */
const api: CustodianApi = {
  ...bridgeMethods((channel, args) => ipcRenderer.invoke(channel, ...args) as Promise<Reply<unknown>>),
  onEvent(listener) {
    const handler = (_e: Electron.IpcRendererEvent, event: AppEvent): void => listener(event);
    ipcRenderer.on('custodian:event', handler);
    return () => ipcRenderer.removeListener('custodian:event', handler);
  },
  // File.path is gone (Electron 32+); main re-checks the path with realpath before taking it in.
  pathForFile: (file) => webUtils.getPathForFile(file) || null,
};

contextBridge.exposeInMainWorld('custodian', api);
