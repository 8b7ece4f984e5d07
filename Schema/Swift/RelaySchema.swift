/// The relay's schema files (`Schema/Relay/`), compiled into the binary: one list of migrations
/// per backend, each run once, in order, and recorded by name. Append only.
public enum RelaySchema {
    public static let sqlite: [GlossSchema.Migration] = [
        GlossSchema.Migration(name: "v1_initial", sql: String(decoding: PackageResources.relay_sqlite_v1_initial_sql, as: UTF8.self)),
        GlossSchema.Migration(name: "v2_published_keys", sql: String(decoding: PackageResources.relay_sqlite_v2_published_keys_sql, as: UTF8.self)),
        GlossSchema.Migration(name: "v3_signing_keys", sql: String(decoding: PackageResources.relay_sqlite_v3_signing_keys_sql, as: UTF8.self)),
        GlossSchema.Migration(name: "v4_snapshots", sql: String(decoding: PackageResources.relay_sqlite_v4_snapshots_sql, as: UTF8.self)),
    ]

    public static let postgreSQL: [GlossSchema.Migration] = [
        GlossSchema.Migration(name: "v1_initial", sql: String(decoding: PackageResources.relay_postgresql_v1_initial_sql, as: UTF8.self)),
        GlossSchema.Migration(name: "v2_published_keys", sql: String(decoding: PackageResources.relay_postgresql_v2_published_keys_sql, as: UTF8.self)),
        GlossSchema.Migration(name: "v3_signing_keys", sql: String(decoding: PackageResources.relay_postgresql_v3_signing_keys_sql, as: UTF8.self)),
        GlossSchema.Migration(name: "v4_snapshots", sql: String(decoding: PackageResources.relay_postgresql_v4_snapshots_sql, as: UTF8.self)),
    ]
}
