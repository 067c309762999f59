/** The engine behind the app's two faces (Electron IPC and the browser bridge). */
export { AppService, type HostOptions } from './app-service.js';
export { coalesce } from './coalesce.js';
