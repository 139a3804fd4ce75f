/** A provider defined only under test/ passes the shared contract: a provider is one folder. */
import { acmepayHarness } from './acmepay-harness';
import { providerContract } from './contract';

providerContract(acmepayHarness);
