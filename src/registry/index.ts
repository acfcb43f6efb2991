export { NpmUpstream, type UpstreamOptions } from './upstream-client.js';
export { PackumentService, type LoadedPackument } from './packument-service.js';
export { PackumentDocuments, ServedDocument } from './packument-documents.js';
export { NpmRegistry, type TarballAnswer } from './npm-registry.js';
export { npmRoutes, baseUrl } from './npm-routes.js';
export {
  parsePackument,
  likelyVersions,
  tarballFileName,
  type Packument,
  type VersionEntry,
} from './packument.js';
export { renderPackument, recomputeDistTags } from './packument-filter.js';
export { parsePackageName, packageNameFromPath, encodePackageName } from './package-name.js';
