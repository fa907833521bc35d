import {
  EInvoiceError,
  type EInvoiceDocument,
  type EInvoiceIssued,
  type EInvoiceProvider,
  type EInvoiceRef,
} from './einvoice.types.js';

export interface IssueOptions {
  /** Attempts in all (default 3). */
  attempts?: number;
  /** First pause between attempts, doubled each time (default 1 s). */
  backoffMs?: number;
  /**
   * An earlier call may have reached the provider (a submission that failed with a timeout or a
   * 5xx): look the transaction up before sending anything.
   */
  maybeSent?: boolean;
  /** Told of each attempt (the service counts them on the submission). */
  onAttempt?: (n: number) => void;
  sleep?: (ms: number) => Promise<void>;
}

export interface IssueOutcome {
  invoice: EInvoiceIssued;
  /** Found by a status lookup (an earlier attempt had issued it) rather than by this issue. */
  found: boolean;
  attempts: number;
}

const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Issue with retries and no duplicate. A timeout or a 5xx leaves the outcome unknown: the
 * provider may have issued the legal invoice and lost only its answer. So before every attempt
 * after the first (and before the first when `maybeSent`), the transaction is looked up with
 * `status`; an invoice found there is the result, and issue is sent again only when the provider
 * has none. The transaction id (Sen's invoice id) is the same in every attempt, so a provider
 * that deduplicates on it refuses a duplicate too. Refusals (bad data, wrong credentials) are
 * not retried.
 */
export async function issueWithoutDuplicate(
  provider: EInvoiceProvider,
  document: EInvoiceDocument,
  ref: EInvoiceRef,
  options: IssueOptions = {},
): Promise<IssueOutcome> {
  const attempts = options.attempts ?? 3;
  const backoff = options.backoffMs ?? 1000;
  const sleep = options.sleep ?? pause;
  let maybeSent = options.maybeSent ?? false;
  let lastError: unknown = null;
  for (let n = 1; n <= attempts; n++) {
    if (n > 1) await sleep(backoff * 2 ** (n - 2));
    options.onAttempt?.(n);
    try {
      if (maybeSent) {
        const st = await provider.status(ref);
        if (st.invoice && st.state !== 'not_found') {
          return { invoice: st.invoice, found: true, attempts: n };
        }
      }
      maybeSent = true;
      const invoice = await provider.issue(document, ref);
      return { invoice, found: false, attempts: n };
    } catch (error) {
      lastError = error;
      if (!(error instanceof EInvoiceError) || !error.retryable) throw error;
    }
  }
  throw lastError;
}
