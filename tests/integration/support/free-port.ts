/** The benches' free-port helper, for the integration tests too. */
export { freePort } from '../../../bench/free-port.js';
