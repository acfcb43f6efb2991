/** Rows of the vulndb tables as the database holds them (see migrations.ts). */
export type VulndbTables = {
  vulndb_advisories: {
    id: string;
    modified: string;
    withdrawn: string | null;
    malware: number;
    content_hash: string;
    advisory_json: string;
    source: string;
    imported_at: string;
  };
  vulndb_packages: { advisory_id: string; ecosystem: string; name: string };
  vulndb_sources: {
    name: string;
    url: string;
    etag: string | null;
    last_modified: string | null;
    checked_at: string | null;
    synced_at: string | null;
    status: string;
    summary_json: string | null;
    error: string | null;
  };
};
