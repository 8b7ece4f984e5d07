/// The schema files of `Schema/`, compiled into the binary.
public enum GlossSchema {
    /// One SQL migration: a stable name and the statements it runs.
    public struct Migration: Sendable {
        public let name: String
        public let sql: String
    }

    /// Every migration, in the order they must run. Append only.
    public static let migrations: [Migration] = [
        Migration(name: "v1_initial", sql: String(decoding: PackageResources.v1_initial_sql, as: UTF8.self)),
        Migration(name: "v2_sync_state", sql: String(decoding: PackageResources.v2_sync_state_sql, as: UTF8.self)),
        Migration(name: "v3_api_tokens", sql: String(decoding: PackageResources.v3_api_tokens_sql, as: UTF8.self)),
        Migration(name: "v4_article_words", sql: String(decoding: PackageResources.v4_article_words_sql, as: UTF8.self)),
        Migration(name: "v5_search_external_content",
                  sql: String(decoding: PackageResources.v5_search_external_content_sql, as: UTF8.self)),
        Migration(name: "v6_article_tags", sql: String(decoding: PackageResources.v6_article_tags_sql, as: UTF8.self)),
        Migration(name: "v7_remotes", sql: String(decoding: PackageResources.v7_remotes_sql, as: UTF8.self)),
        Migration(name: "v8_article_by_content_hash",
                  sql: String(decoding: PackageResources.v8_article_by_content_hash_sql, as: UTF8.self)),
        Migration(name: "v9_web_sessions", sql: String(decoding: PackageResources.v9_web_sessions_sql, as: UTF8.self)),
        Migration(name: "v10_originals", sql: String(decoding: PackageResources.v10_originals_sql, as: UTF8.self)),
        Migration(name: "v11_article_waiting", sql: String(decoding: PackageResources.v11_article_waiting_sql, as: UTF8.self)),
        Migration(name: "v12_batch_signatures", sql: String(decoding: PackageResources.v12_batch_signatures_sql, as: UTF8.self)),
        Migration(name: "v13_annotation_tags", sql: String(decoding: PackageResources.v13_annotation_tags_sql, as: UTF8.self)),
        Migration(name: "v14_search_automerge", sql: String(decoding: PackageResources.v14_search_automerge_sql, as: UTF8.self)),
        Migration(name: "v15_annotation_counts_by_index", sql: String(decoding: PackageResources.v15_annotation_counts_by_index_sql, as: UTF8.self)),
        Migration(name: "v16_search_rows_by_rowid", sql: String(decoding: PackageResources.v16_search_rows_by_rowid_sql, as: UTF8.self)),
    ]
}
