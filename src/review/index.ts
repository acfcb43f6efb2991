export { ReviewViews, type ReviewViewsOptions } from './review-views.js';
export { StoredTarballs, reviewTarballLimits } from './stored-tarballs.js';
export type { VersionDiff, FileChange, DependencyChange, InstallScriptChange } from './version-diff.js';
export type { EvidenceExcerpt } from './evidence-excerpt.js';
