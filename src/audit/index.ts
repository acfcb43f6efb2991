export { SqlAuditLog, type AuditListFilter } from './audit-log-sql.js';
export { canonicalJson } from './canonical-json.js';
export { eventHash, genesisHash, type ChainedFields } from './audit-chain.js';
export { verifyChain } from './verify-chain.js';
