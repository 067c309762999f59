import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { installWsBridge } from './ws-bridge';

const root = createRoot(document.getElementById('root')!);

async function start(): Promise<void> {
  // Electron's preload has installed the bridge already; in a browser, connect to `npm run ui`.
  if (!('custodian' in window)) await installWsBridge();
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

start().catch((err: unknown) => {
  root.render(<p role="alert">{err instanceof Error ? err.message : String(err)}</p>);
});
