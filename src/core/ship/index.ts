export { shipPending, BackgroundShipper, type ShipResult } from './syslog-shipper.js';
export { configureShipping, shipTarget, shipCursor, shipStatus, shipProgress, type ShipStatus, type ShipProgress } from './ship-settings.js';
export { parseSyslogTarget, describeTarget, type SyslogTarget } from './ship-target.js';
export { mirrorLedger, MIRROR_FILE, type MirrorResult } from './ledger-mirror.js';
export { syslogMessage, octetCounted, SD_ID } from './syslog-message.js';
