import type { LocalisedText } from '../../core/errors.js';
import type { EInvoiceProvider, EInvoiceProviderConfig } from './einvoice.types.js';
import { viettelAdapter } from './providers/viettel.js';

/** One provider Sen can talk to: a key stored in the settings, a name, and a factory. */
export interface EInvoiceAdapter {
  key: string;
  name: LocalisedText;
  /** The provider's published API documentation the adapter follows. */
  docs: string;
  /** Base URL of the provider's production API, offered as the default. */
  defaultBaseUrl: string;
  create(config: EInvoiceProviderConfig): EInvoiceProvider;
}

const adapters = new Map<string, EInvoiceAdapter>();

export function registerEInvoiceAdapter(adapter: EInvoiceAdapter): void {
  adapters.set(adapter.key, adapter);
}

export function eInvoiceAdapter(key: string): EInvoiceAdapter | undefined {
  return adapters.get(key);
}

export function eInvoiceAdapters(): EInvoiceAdapter[] {
  return [...adapters.values()];
}

registerEInvoiceAdapter(viettelAdapter);
