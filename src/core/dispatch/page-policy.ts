import {
  BrokenCircuitError,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TaskCancelledError,
  circuitBreaker,
  handleWhen,
  retry,
  type CircuitBreakerPolicy,
  type RetryPolicy,
} from 'cockatiel';
import type { ReasonCode } from '../../shared/reason-codes.js';
import type { ExtractResult } from '../extract/index.js';

/** Resilience settings; defaults suit tesseract on these machines (a dense page takes ~5 s). */
export type ResilienceOptions = {
  /** Per task, ms; a task over it is aborted and its thread replaced. Default 120,000. */
  pageTimeoutMs: number;
  /** Attempts per page, the first included. Default 3. */
  maxAttempts: number;
  /** First retry delay, ms (exponential, decorrelated jitter). Default 250. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** Consecutive OCR failures that open the breaker. Default 5. */
  breakerFailures: number;
  /** Open time before one probe is let through, ms. Default 15,000. */
  halfOpenAfterMs: number;
  /** Probe rounds a page without any text may wait through before it is quarantined. Default 4. */
  maxParkRounds: number;
};

/** Defaults for {@link ResilienceOptions}. */
export const DEFAULT_RESILIENCE: ResilienceOptions = {
  pageTimeoutMs: 120_000,
  maxAttempts: 3,
  initialDelayMs: 250,
  maxDelayMs: 10_000,
  breakerFailures: 5,
  halfOpenAfterMs: 15_000,
  maxParkRounds: 4,
};

/** Why one attempt failed: a reason code from the thread, or the thread was lost. */
export type FailureCode = ReasonCode | 'timeout' | 'worker-crashed' | 'thread-retired';

/** A task result that is final: a success, or bad input no retry can help. */
export type Settled = Exclude<ExtractResult, { code: 'thread-retired' }>;

/** A task result that says the attempt failed in a way another attempt may not (engine error, crash). */
export class TransientExtractFailure extends Error {
  constructor(
    readonly code: FailureCode,
    message: string,
    /** Resource figures for the ledger: the thread's own, or the process's when the thread was lost. */
    readonly figures: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'TransientExtractFailure';
  }
}

/** The failure code of what a policy threw: cockatiel's own timeout rejects with TaskCancelledError. */
export const failureCode = (err: unknown): FailureCode | 'unknown' =>
  err instanceof TransientExtractFailure ? err.code : err instanceof TaskCancelledError ? 'timeout' : 'unknown';

/** What the ledger is told of a failure that ended a page or plan: the message, the last code, the figures. */
export function failureDetail(err: unknown): Record<string, unknown> {
  return {
    message: err instanceof Error ? err.message : String(err),
    lastCode: failureCode(err),
    ...(err instanceof TransientExtractFailure ? err.figures : {}),
  };
}

/**
 * The reason code a plan that kept failing is quarantined with: the thread's own code when it gave one,
 * else `processing-error` (a plan that times out or kills its thread cannot be opened here).
 */
export function planFailureCode(err: unknown): ReasonCode {
  return err instanceof TransientExtractFailure && err.code !== 'timeout' && err.code !== 'worker-crashed' && err.code !== 'thread-retired'
    ? err.code
    : 'processing-error';
}

/** One retry of a page or plan, as the ledger's `page.retry` tells it. */
export type RetryNote = { attempt: number; delayMs: number; code: FailureCode | 'unknown'; figures: Record<string, unknown> };

/**
 * Retries a transient failure (exponential backoff with jitter) up to `maxAttempts` in all; an open
 * breaker is not retried here (the breaker waits take the page).
 */
export function retryPolicy(opts: ResilienceOptions, onRetry: (note: RetryNote) => void): RetryPolicy {
  const policy = retry(
    handleWhen((err) => !(err instanceof BrokenCircuitError)),
    {
      maxAttempts: opts.maxAttempts - 1,
      backoff: new ExponentialBackoff({ initialDelay: opts.initialDelayMs, maxDelay: opts.maxDelayMs }),
    },
  );
  policy.onRetry((reason) => {
    const error = 'error' in reason ? reason.error : null;
    onRetry({
      attempt: reason.attempt,
      delayMs: Math.round(reason.delay),
      code: failureCode(error),
      figures: error instanceof TransientExtractFailure ? error.figures : {},
    });
  });
  return policy;
}

/** The OCR engine's circuit breaker: opens after `breakerFailures` consecutive failures, probes after `halfOpenAfterMs`. */
export function ocrBreaker(opts: ResilienceOptions): CircuitBreakerPolicy {
  // A retired thread says nothing about the OCR engine's health.
  const engineFailure = handleWhen((err) => !(err instanceof TransientExtractFailure && err.code === 'thread-retired'));
  return circuitBreaker(engineFailure, { halfOpenAfter: opts.halfOpenAfterMs, breaker: new ConsecutiveBreaker(opts.breakerFailures) });
}
