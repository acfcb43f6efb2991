// What `airlock check` loads of the policy domain, in one module so the CLI imports it only when it judges.
export { OfflinePolicy } from './offline-policy.js';
export { SqlWaiverStore } from './waiver-store.js';
export { loadPolicyFile, resolvePolicy } from './load.js';
