// swift-tools-version:6.1
import PackageDescription

/// Language settings every target shares (STYLE.md: Swift 6 mode, tests too).
let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Gloss",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gloss", targets: ["gloss"]),
        .executable(name: "gloss-bench", targets: ["gloss-bench"]),
        .library(name: "GlossCore", targets: ["GlossCore"]),
        .library(name: "GlossSync", targets: ["GlossSync"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // The single source of truth for the SQL schema (and, later, the wire format and OpenAPI),
        // compiled into the binary so it never reads the source tree at run time.
        .target(
            name: "GlossSchema",
            path: "Schema",
            exclude: ["README.md", "Snapshot.md", "WireFormat", "OpenAPI"],
            sources: ["Swift"],
            resources: [
                .embedInCode("Migrations/v1_initial.sql"),
                .embedInCode("Migrations/v2_sync_state.sql"),
                .embedInCode("Migrations/v3_api_tokens.sql"),
                .embedInCode("Migrations/v4_article_words.sql"),
                .embedInCode("Migrations/v5_search_external_content.sql"),
                .embedInCode("Migrations/v6_article_tags.sql"),
                .embedInCode("Migrations/v7_remotes.sql"),
                .embedInCode("Migrations/v8_article_by_content_hash.sql"),
                .embedInCode("Migrations/v9_web_sessions.sql"),
                .embedInCode("Migrations/v10_originals.sql"),
                .embedInCode("Migrations/v11_article_waiting.sql"),
                .embedInCode("Migrations/v12_batch_signatures.sql"),
                .embedInCode("Migrations/v13_annotation_tags.sql"),
                .embedInCode("Migrations/v14_search_automerge.sql"),
                .embedInCode("Migrations/v15_annotation_counts_by_index.sql"),
                .embedInCode("Migrations/v16_search_rows_by_rowid.sql"),
                .embedInCode("Relay/SQLite/relay_sqlite_v1_initial.sql"),
                .embedInCode("Relay/SQLite/relay_sqlite_v2_published_keys.sql"),
                .embedInCode("Relay/SQLite/relay_sqlite_v3_signing_keys.sql"),
                .embedInCode("Relay/SQLite/relay_sqlite_v4_snapshots.sql"),
                .embedInCode("Relay/PostgreSQL/relay_postgresql_v1_initial.sql"),
                .embedInCode("Relay/PostgreSQL/relay_postgresql_v2_published_keys.sql"),
                .embedInCode("Relay/PostgreSQL/relay_postgresql_v3_signing_keys.sql"),
                .embedInCode("Relay/PostgreSQL/relay_postgresql_v4_snapshots.sql"),
            ],
            swiftSettings: strictSettings
        ),
        // Zstandard for bundles and HTTP bodies (a quarter smaller than gzip at level 9, and
        // several times faster to write: BENCHMARKS.md, W2 and W4), and zlib's gzip, which
        // earlier versions wrote.
        .systemLibrary(
            name: "CCompression",
            pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev", "zlib1g-dev"])]
        ),
        .target(
            name: "GlossCompression",
            dependencies: ["CCompression"],
            swiftSettings: strictSettings
        ),
        // libxml2's HTML parser, linked from the system (`libxml2-dev` on Debian and Ubuntu).
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // poppler's GLib interface (PDF text), opened with dlopen the first time a PDF is read,
        // not linked: linking it loaded 43 more libraries into every command and added 6 ms to
        // each start. It needs the runtime library only (`libpoppler-glib8`), no headers.
        .target(
            name: "CPDFLoader",
            linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]
        ),
        // Extraction: bytes in, an article out (title, byline, site, dates, body). HTML/ (libxml2
        // parsing, content scoring, page metadata), PlainText/ (paragraph classification, header
        // lines, datelines, dates), Language/ (language detection, jusText's stoplists compiled
        // in), Markdown/ (front matter, headings), PDF/ (poppler's text layer, cleaned of running
        // headers and page numbers). No store and no I/O beyond
        // its input: it sits below GlossCore and depends on nothing else of Gloss, so it builds and
        // is measured on its own. EPUB/ reads a book's zip with ZIPFoundation, in memory.
        .target(
            name: "GlossExtraction",
            dependencies: ["CLibXML2", "CPDFLoader", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            // The stoplists are compiled in (Language/Stoplists+Data.swift); their licence stays beside them.
            exclude: ["Language/JUSTEXT-LICENSE.txt"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "GlossCore",
            dependencies: [
                "GlossSchema",
                "GlossExtraction",
                // Originals are kept zstd-compressed (Originals/OriginalsFolder.swift).
                "GlossCompression",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "GlossSync",
            dependencies: [
                "GlossCore",
                "GlossWeb",
                "GlossCompression",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                // scrypt, for a library key wrapped under a passphrase (Sealing/PassphraseWrap.swift).
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The HTTP client the fetcher and the sync transport share (AsyncHTTPClient, not
        // URLSession, which links libcurl and thirty libraries behind it into every command).
        .target(
            name: "GlossWeb",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        // Fetching web pages for import: the only place Gloss reads from the web. It hands the
        // page to GlossExtraction and knows nothing of the store.
        .target(
            name: "GlossFetch",
            dependencies: [
                "GlossExtraction",
                "GlossWeb",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "GlossServer",
            dependencies: [
                "GlossCore",
                "GlossSync",
                "GlossCompression",
                "GlossExtraction",
                "GlossFetch",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // The web reader's pages, compiled in: nothing is read from disk or the network.
            resources: [
                .embedInCode("Reader/Assets/add.js"),
                .embedInCode("Reader/Assets/annotations.js"),
                .embedInCode("Reader/Assets/api.js"),
                .embedInCode("Reader/Assets/app.js"),
                .embedInCode("Reader/Assets/article.js"),
                .embedInCode("Reader/Assets/conflicts.js"),
                .embedInCode("Reader/Assets/dom.js"),
                .embedInCode("Reader/Assets/icon.svg"),
                .embedInCode("Reader/Assets/index.html"),
                .embedInCode("Reader/Assets/keyboard.js"),
                .embedInCode("Reader/Assets/library.js"),
                .embedInCode("Reader/Assets/login.html"),
                .embedInCode("Reader/Assets/offsets.js"),
                .embedInCode("Reader/Assets/reader.css"),
                .embedInCode("Reader/Assets/search.js"),
                .embedInCode("Reader/Assets/sync.js"),
                .embedInCode("Reader/Assets/toolbar.js"),
            ],
            swiftSettings: strictSettings
        ),
        // The relay of issue 18 (`gloss relay`): many people's libraries of opaque changes, kept
        // by dot in SQLite or PostgreSQL (Storage/), served over the sync protocol (Server/).
        .target(
            name: "GlossRelay",
            dependencies: [
                "GlossCore",
                "GlossSync",
                "GlossSchema",
                "GlossCompression",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "gloss",
            dependencies: [
                "GlossCore",
                "GlossExtraction",
                "GlossFetch",
                "GlossSync",
                "GlossServer",
                "GlossRelay",
                "GlossWeb",
                // The demo expands folder files to show what a folder's host can read.
                "GlossCompression",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [
                .embedInCode("Demo/Articles/reuters-migration.txt"),
                .embedInCode("Demo/Articles/ap-migration-talks.txt"),
            ],
            swiftSettings: strictSettings
        ),
        // The benchmark harness of issue 6: `swift run -c release gloss-bench` (BENCHMARKS.md).
        .executableTarget(
            name: "gloss-bench",
            dependencies: [
                "GlossCore",
                "GlossExtraction",
                "GlossSync",
                "GlossServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                // W1's Omnivore figure writes an Omnivore export zip.
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: strictSettings
        ),
        // Shared by the test targets: temporary stores and the seeded replica simulation.
        .target(
            name: "GlossTestSupport",
            dependencies: ["GlossCore", "GlossExtraction", "GlossSync", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                           .product(name: "Crypto", package: "swift-crypto")],
            path: "Tests/GlossTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GlossCoreTests",
            dependencies: [
                "GlossCore",
                "GlossExtraction",
                "GlossTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strictSettings
        ),
        // Fixtures: pages/ (saved web pages with the text and metadata they must give) and
        // articles/ (text copied from news pages, with what an import must yield).
        .testTarget(
            name: "GlossExtractionTests",
            dependencies: ["GlossExtraction", "GlossTestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        // The fetcher against a loopback web server each test starts on port 0.
        .testTarget(
            name: "GlossFetchTests",
            dependencies: [
                "GlossFetch",
                "GlossExtraction",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GlossSyncTests",
            dependencies: [
                "GlossCore",
                "GlossExtraction",
                "GlossSync",
                "GlossCompression",
                "GlossWeb",
                "GlossTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GlossCompressionTests",
            dependencies: ["GlossCompression"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GlossWebTests",
            dependencies: [
                "GlossWeb",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GlossServerTests",
            dependencies: [
                "GlossCore",
                "GlossExtraction",
                "GlossSync",
                "GlossServer",
                "GlossTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The relay's conformance suite, over both backends (PostgreSQL from
        // GLOSS_TEST_POSTGRES_URL: scripts/with-postgres), and the real binary end to end.
        .testTarget(
            name: "GlossRelayTests",
            dependencies: [
                "GlossCore",
                "GlossSync",
                "GlossRelay",
                "GlossTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "glossTests",
            dependencies: [
                "gloss",
                "GlossCore",
                "GlossExtraction",
                "GlossTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
    ]
)
