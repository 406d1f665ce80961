/// The schema of a site's database (one file per site): CRM, customers and sessions.
///
/// Append new migrations at the end with the next version; never edit one that has shipped.
public enum SiteSchema {
    public static let migrations: [SQLiteMigration] = [
        SQLiteMigration(version: 1, name: "crm, customers, sessions", sql: """
            CREATE TABLE crm_entities (
              slug TEXT PRIMARY KEY,
              name TEXT NOT NULL,
              singular_name TEXT,
              plural_name TEXT,
              icon TEXT,
              color TEXT,
              created_at INTEGER NOT NULL
            );
            CREATE TABLE crm_fields (
              entity_slug TEXT NOT NULL,
              key TEXT NOT NULL,
              label TEXT,
              type TEXT NOT NULL,
              options_json TEXT,
              validation_rules_json TEXT,
              visible_to_team_ids_json TEXT,
              created_at INTEGER NOT NULL,
              PRIMARY KEY (entity_slug, key)
            );
            -- Entries refer to their entity by slug: entity ids come from site.json order and may
            -- change when the file is edited, slugs do not.
            CREATE TABLE crm_entries (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              entity_slug TEXT NOT NULL,
              reference_type TEXT NOT NULL,
              reference_id TEXT NOT NULL,
              pipeline_id INTEGER,
              stage_id INTEGER,
              values_json TEXT NOT NULL,
              created_at INTEGER NOT NULL,
              updated_at INTEGER NOT NULL,
              -- Bumped on every change, unique: "newest first" means highest revision first.
              revision INTEGER NOT NULL
            );
            CREATE INDEX crm_entries_by_reference
              ON crm_entries (entity_slug, reference_type, reference_id, revision DESC);
            CREATE INDEX crm_entries_by_revision ON crm_entries (revision);

            CREATE TABLE customers (
              id TEXT PRIMARY KEY,
              email TEXT NOT NULL,
              email_key TEXT NOT NULL,
              name TEXT,
              first_name TEXT,
              last_name TEXT,
              data_json TEXT NOT NULL DEFAULT '{}',
              created_at INTEGER NOT NULL,
              updated_at INTEGER NOT NULL
            );
            CREATE INDEX customers_by_email ON customers (email_key);

            CREATE TABLE sessions (
              id TEXT PRIMARY KEY,
              customer_id TEXT,
              data_json TEXT NOT NULL,
              created_at INTEGER NOT NULL,
              expires_at INTEGER NOT NULL
            );
            CREATE INDEX sessions_by_expiry ON sessions (expires_at);
            """),
        // Lists order by `revision DESC, id DESC`; an index in exactly that order lets SQLite read the
        // newest entries straight from it (the old index ended at revision, so every such query also
        // built a temporary B-tree to sort ties by id).
        SQLiteMigration(version: 2, name: "crm entries by reference, newest first", sql: """
            CREATE INDEX crm_entries_by_reference_newest
              ON crm_entries (entity_slug, reference_type, reference_id, revision DESC, id DESC);
            DROP INDEX crm_entries_by_reference;
            """),
        // Revisions come from memory now (`CRMRevisions`), not from `max(revision)`, so nothing reads
        // this index; dropping it saves every write a page (and a WAL frame).
        SQLiteMigration(version: 3, name: "no index on revision alone", sql: """
            DROP INDEX crm_entries_by_revision;
            """),
    ]
}
