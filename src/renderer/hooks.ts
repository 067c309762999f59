import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppEvent } from '../shared/bridge-api';
import { describeError } from '../shared/bridge-api';
import type { RunStatus } from '../shared/types';
import type { ActionMessage } from './components/StatusLine';

type Changed = Extract<AppEvent, { kind: 'changed' }>['what'];

/**
 * Data from the host, fetched on mount and again whenever the host says one of `refreshOn` changed.
 * Returns the data (null until first loaded), the last error text, and a reload function.
 */
export function useHostData<T>(load: () => Promise<T>, refreshOn: Changed[]): { data: T | null; error: string | null; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loadRef = useRef(load);
  loadRef.current = load;
  const kinds = refreshOn.join(',');
  const reload = useCallback(() => {
    loadRef.current().then(
      (d) => {
        setData(d);
        setError(null);
      },
      (err: unknown) => setError(describeError(err).text),
    );
  }, []);
  useEffect(() => {
    reload();
    return window.custodian.onEvent((e) => {
      if (e.kind === 'changed' && kinds.split(',').includes(e.what)) reload();
    });
  }, [reload, kinds]);
  return { data, error, reload };
}

/** The engine's run status, kept current by the host's (coalesced) run events. */
export function useRunStatus(): RunStatus | null {
  const [run, setRun] = useState<RunStatus | null>(null);
  useEffect(() => {
    void window.custodian.runStatus().then(setRun);
    return window.custodian.onEvent((e) => {
      if (e.kind === 'run') setRun(e.run);
    });
  }, []);
  return run;
}

/** Runs an operator action, keeping its busy flag and its outcome message (error text on failure). */
export function useAction(): {
  busy: boolean;
  message: ActionMessage | null;
  run: (fn: () => Promise<string>) => Promise<boolean>;
  clear: () => void;
} {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<ActionMessage | null>(null);
  const run = useCallback(async (fn: () => Promise<string>) => {
    setBusy(true);
    try {
      setMessage({ ok: true, text: await fn() });
      return true;
    } catch (err) {
      const { code, text } = describeError(err);
      setMessage({ ok: false, text, code });
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, message, run, clear: useCallback(() => setMessage(null), []) };
}
