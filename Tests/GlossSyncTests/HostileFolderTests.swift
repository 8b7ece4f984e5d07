import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GlossCore
@testable import GlossSync
import GlossExtraction
import GlossTestSupport
import Testing

/// What anyone who can write into the shared folder can put there: numbers out of range, clocks
/// far in the future, names full of terminal escapes, links where folders belong. Each is
/// skipped or refused with a message naming it, and never crashes a replica.
@Suite struct HostileFolderTests {
    let directory = TemporaryDirectory()
    var shared: String { directory.path + "/shared" }

    func sync(_ store: Store) async throws -> (report: SyncReport, read: Int, written: Int) {
        try await directory.folderSync(store, through: shared)
    }

    /// Writes `bundle` into the folder as the replica `writer` would, under its proper name;
    /// returns the name a warning shows (`replica/file`).
    @discardableResult
    func drop(_ bundle: ChangeBundle, as writer: ReplicaID, time: String = "0000000000001") throws -> String {
        let (data, sha) = try BundleCodec.encode(bundle)
        let folder = shared + "/" + writer.rawValue
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let name = "\(time)-\(sha).glb"
        try data.write(to: URL(fileURLWithPath: folder + "/" + name))
        return writer.rawValue + "/" + name
    }

    /// A forger's bundle: `source`'s first change rewritten by `rewrite`.
    func forged(from source: Store, _ rewrite: (inout Change) -> Void) throws -> (ChangeBundle, ReplicaID) {
        var change = try source.changes(since: VersionVector())[0].unsigned
        rewrite(&change)
        return (ChangeBundle(replica: change.dot.replica, created: 1, names: [:], changes: [change]), change.dot.replica)
    }

    // MARK: - Numbers from outside

    @Test(arguments: [Dot.maxCounter + 1, UInt64.max])
    func aCounterPast2To63IsSkippedWithAWarningNamingTheFileAndTheRestArrives(counter: UInt64) async throws {
        let a = try directory.storeWithHighlight("a", seed: 1)
        _ = try await sync(a)
        let forger = try directory.store("forger", seed: 5)
        _ = try forger.addArticle(ExtractedArticle(title: "Forged", text: "Forged text.", format: .plainText))
        let (bundle, writer) = try forged(from: forger) { $0.dot.counter = counter }
        let file = try drop(bundle, as: writer)

        let b = try directory.store("b", seed: 2)
        let pulled = try await sync(b)
        #expect(pulled.report.received == 2)
        #expect(try a.digest() == b.digest())
        let warning = try #require(pulled.report.warnings.first)
        guard case .bundleInvalid(file, .malformed(let detail)) = warning else {
            Issue.record("unexpected warning: \(warning)")
            return
        }
        #expect(detail.contains("'n'") && detail.contains("2^63-1"), "\(detail)")
        #expect(try b.versionVector()[writer] == 0)
    }

    @Test func aRangeBoundPast2To63InCoversIsSkippedNotATrap() async throws {
        let forger = try directory.storeWithHighlight("forger", seed: 5)
        var (bundle, writer) = try forged(from: forger) { _ in }
        bundle.covers = [writer.rawValue: [[1, UInt64.max]]]
        let file = try drop(bundle, as: writer)
        let b = try directory.store("b", seed: 2)
        let pulled = try await sync(b)
        #expect(pulled.report.received == 0)
        guard case .bundleInvalid(file, .malformed(let detail))? = pulled.report.warnings.first else {
            Issue.record("unexpected warnings: \(pulled.report.warnings)")
            return
        }
        #expect(detail.contains("2^63-1"), "\(detail)")
    }

    /// A change stamped 2^64-1 (the year 10889 and more) would drag every clock there, and the
    /// next local change used to wrap to 1970. Stamps more than a day ahead are refused.
    @Test func aClockFarInTheFutureIsSkippedAndTheLocalClockStaysSane() async throws {
        let forger = try directory.storeWithHighlight("forger", seed: 5)
        let dayAhead = (UInt64(Date().timeIntervalSince1970 * 1000) + HLC.maxLead + 60_000) << 16
        for (index, stamp) in [UInt64.max, dayAhead].enumerated() {
            let (bundle, writer) = try forged(from: forger) { $0.hlc = HLC(rawValue: stamp) }
            try drop(bundle, as: writer, time: "000000000000\(index)")
        }
        let b = try directory.store("b", seed: 2)
        let pulled = try await sync(b)
        #expect(pulled.report.received == 0)
        #expect(pulled.report.warnings.count == 2)
        for warning in pulled.report.warnings {
            guard case .bundleInvalid(_, .invalidChange(let defect)) = warning, case .stampedAhead = defect else {
                Issue.record("unexpected warning: \(warning)")
                continue
            }
            #expect(warning.description.contains("more than a day ahead"), "\(warning)")
        }
        let id = try b.addArticle(ExtractedArticle(title: "Local", text: "Local text.", format: .plainText)).id
        let local = try b.changes(since: VersionVector()).last { $0.entityID == id }
        #expect(try #require(local).hlc.milliseconds < 1 << 47)
    }

    // MARK: - Gaps

    /// A store holding X's changes 1 and 3 (not 2) pushes 3 once: the folder's version vector
    /// stops at the gap, and the changes past it used to be written into a new bundle on every
    /// sync.
    @Test func changesPastAGapAreWrittenOnceAndASecondSyncWritesNothing() async throws {
        let x = try directory.storeWithHighlight("x", seed: 7)
        _ = try x.addNote(articleID: try x.articles()[0].id, text: "third")
        try x.signOwnChanges(batchLength: 1)
        let all = try x.changes(since: VersionVector())
        #expect(all.count == 3)
        let a = try directory.store("a", seed: 1)
        try a.apply([all[0], all[2]])

        let first = try await sync(a)
        #expect(first.report.sent == 2 && first.written == 1)
        for _ in 0..<3 {
            let again = try await sync(a)
            #expect(again.report.sent == 0 && again.written == 0, "\(again.report)")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: shared + "/" + a.replicaID.rawValue)
        #expect(files.count == 1)
    }

    // MARK: - Names and links

    @Test func fileNamesWithTerminalEscapesArePrintedEscaped() async throws {
        let writer = try directory.store("w", seed: 4).replicaID
        let folder = shared + "/" + writer.rawValue
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let hostile = "\u{1B}]0;pwned\u{07}\u{1B}[2J\u{202E}gpj.glb"
        try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/" + hostile))
        let b = try directory.store("b", seed: 2)
        let warnings = try await sync(b).report.warnings
        #expect(warnings.count == 1)
        let text = try #require(warnings.first).description
        #expect(!text.unicodeScalars.contains { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format },
                "\(text.debugDescription)")
        #expect(text.contains("\\u{1B}]0;pwned\\u{7}\\u{1B}[2J\\u{202E}gpj.glb"), "\(text)")
    }

    /// Someone who can write into the shared folder replaces this replica's subfolder with a link
    /// elsewhere: the sync refuses to write through it, and touches nothing where it points.
    @Test func aSymlinkedOwnSubfolderIsRefusedAndNothingIsWrittenThroughIt() async throws {
        let a = try directory.storeWithHighlight("a", seed: 1)
        let target = directory.path + "/elsewhere"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        let stale = target + "/.tmp-stale"
        try Data("keep".utf8).write(to: URL(fileURLWithPath: stale))
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: stale)
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true)
        let own = shared + "/" + a.replicaID.rawValue
        try FileManager.default.createSymbolicLink(atPath: own, withDestinationPath: target)

        await #expect(throws: SyncError.folder(path: own, action: .createSubfolder, problem: .isASymlink)) {
            try await sync(a)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: target) == [".tmp-stale"])
    }

    /// What a killed sync left in this replica's own subfolder: an old temp file is swept, a
    /// recent one (perhaps a sync running now) is kept, and neither is read as a bundle.
    @Test func onlyOldTemporariesInTheOwnSubfolderAreSwept() async throws {
        let a = try directory.storeWithHighlight("a", seed: 1)
        let own = shared + "/" + a.replicaID.rawValue
        try FileManager.default.createDirectory(atPath: own, withIntermediateDirectories: true)
        for name in [".tmp-old", ".tmp-new"] { try Data("partial".utf8).write(to: URL(fileURLWithPath: own + "/" + name)) }
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: own + "/.tmp-old")
        let synced = try await sync(a)
        #expect(synced.written == 1 && synced.report.warnings.isEmpty)
        let files = try FileManager.default.contentsOfDirectory(atPath: own)
        #expect(files.contains(".tmp-new") && !files.contains(".tmp-old") && files.count == 2, "\(files)")
    }

    /// As root, permissions do not stop a listing, so an entry named as a replica that cannot be
    /// listed is made another way: a link to nothing, and a plain file.
    @Test func aReplicaEntryThatCannotBeListedGivesAWarning() async throws {
        let a = try directory.storeWithHighlight("a", seed: 1)
        _ = try await sync(a)
        let dangling = shared + "/" + (try directory.store("d", seed: 11).replicaID.rawValue)
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: directory.path + "/nothing-here")
        let file = shared + "/" + (try directory.store("f", seed: 12).replicaID.rawValue)
        try Data("not a folder".utf8).write(to: URL(fileURLWithPath: file))

        let b = try directory.store("b", seed: 2)
        let pulled = try await sync(b)
        #expect(pulled.report.received == 2)
        let warnings = pulled.report.warnings
        #expect(warnings.count == 2)
        #expect(warnings.contains(.folder(path: dangling, action: .listReplica, problem: .brokenLink)), "\(warnings)")
        #expect(warnings.contains(.folder(path: file, action: .listReplica, problem: .isAFile)), "\(warnings)")
    }

    // MARK: - Size

    /// Writes `data` into the folder as `writer`'s file named for the SHA-256 `sha`; returns the
    /// name a warning shows and the file's path.
    @discardableResult
    func drop(_ data: Data, sha: String, as writer: ReplicaID, time: String = "0000000000001") throws -> (name: String, path: String) {
        let folder = shared + "/" + writer.rawValue
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let name = "\(time)-\(sha).glb"
        try data.write(to: URL(fileURLWithPath: folder + "/" + name))
        return (writer.rawValue + "/" + name, folder + "/" + name)
    }

    /// A sparse 1 GiB file takes no disk and used to be read whole before its size was checked.
    @Test func aSparseGibibyteBundleIsRefusedByItsSizeWithoutBeingRead() async throws {
        let writer = try directory.store("w", seed: 4).replicaID
        let (name, path) = try drop(Data(), sha: String(repeating: "ab", count: 32), as: writer)
        #expect(truncate(path, 1 << 30) == 0)
        let b = try directory.store("b", seed: 2)
        let pulled = try await sync(b)
        #expect(pulled.read == 0)
        #expect(pulled.report.warnings == [.bundleInvalid(file: name, defect: .tooLarge(limit: WireLimits.maxBundleFileBytes))])
    }

    /// A link to /dev/zero, or a FIFO, named like a bundle would have been read forever (or
    /// waited on): anything but a regular file is refused unread.
    @Test func aDeviceOrFIFONamedLikeABundleIsRefusedUnread() async throws {
        let writer = try directory.store("w", seed: 4).replicaID
        let folder = shared + "/" + writer.rawValue
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let zero = "0000000000001-\(String(repeating: "ab", count: 32)).glb"
        let fifo = "0000000000002-\(String(repeating: "cd", count: 32)).glb"
        try FileManager.default.createSymbolicLink(atPath: folder + "/" + zero, withDestinationPath: "/dev/zero")
        #expect(mkfifo(folder + "/" + fifo, 0o644) == 0)
        let b = try directory.store("b", seed: 2)
        let pulled = try await sync(b)
        #expect(pulled.read == 0)
        #expect(pulled.report.warnings == [writer.rawValue + "/" + zero, writer.rawValue + "/" + fifo].map {
            .bundleInvalid(file: $0, defect: .notARegularFile)
        })
    }

    @Test func aZstdZeroBombIsRefusedWhileExpanding() async throws {
        let block = try ContentCoding.zstd.compress(Data(count: 1 << 20))
        let bomb = Data(repeatElement(block, count: 1024).joined())
        let writer = try directory.store("w", seed: 4).replicaID
        let (name, _) = try drop(bomb, sha: BundleCodec.sha256(bomb), as: writer)
        let b = try directory.store("b", seed: 2)
        let pulled = try await sync(b)
        #expect(pulled.read == 1)
        #expect(pulled.report.warnings == [.bundleInvalid(file: name, defect: .expandsTooFar(limit: WireLimits.maxExpandedBytes))])
    }

    /// A bundle Syncthing has delivered only part of is refused, then skipped unread (and named)
    /// while it stays the same, and read again, and applied, once it changes.
    @Test func anInvalidBundleIsReadOnceThenSkippedUntilItChanges() async throws {
        let a = try directory.storeWithHighlight("a", seed: 1)
        let bundle = ChangeBundle(replica: a.replicaID, created: 1, names: [:], changes: try a.changes(since: VersionVector()))
        let (whole, sha) = try BundleCodec.encode(bundle)
        let (name, path) = try drop(whole.prefix(whole.count / 2), sha: sha, as: a.replicaID)
        let b = try directory.store("b", seed: 2)

        let first = try await sync(b)
        #expect(first.read == 1 && first.report.received == 0)
        #expect(first.report.warnings == [.bundleInvalid(file: name, defect: .checksumMismatch)])
        for _ in 0..<2 {
            let again = try await sync(b)
            #expect(again.read == 0 && again.report.received == 0)
            #expect(again.report.warnings == [.bundleInvalid(file: name, defect: .stillInvalid(detail: BundleDefect.checksumMismatch.description))])
        }
        // The same bytes touched: read again (and still refused).
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -60)], ofItemAtPath: path)
        let touched = try await sync(b)
        #expect(touched.read == 1 && touched.report.warnings == [.bundleInvalid(file: name, defect: .checksumMismatch)])

        try whole.write(to: URL(fileURLWithPath: path))
        let completed = try await sync(b)
        #expect(completed.read == 1 && completed.report.received == 2 && completed.report.warnings.isEmpty)
        #expect(try a.digest() == b.digest())
        let idle = try await sync(b)
        #expect(idle.read == 0 && idle.report.warnings.isEmpty)
    }

    /// Pages are counted in changes; one whose JSON passes the page size (`WireLimits.pageBytes`,
    /// 100 kB here) is written as several bundles, each within it, so no honest page is refused
    /// by a reader's limits.
    @Test func aPageOfLargeArticlesIsWrittenAsSeveralBundlesWithinThePageSize() async throws {
        let a = try directory.store("a", seed: 1)
        for index in 0..<3 {
            let text = (0..<1_000).map { "Paragraph \(index) line \($0) of a long article." }.joined(separator: "\n")
            _ = try a.addArticle(ExtractedArticle(title: "Long \(index)", text: text, format: .plainText))
        }
        // Batches of one article: a batch is never cut, so it must fit a page.
        try a.signOwnChanges(batchLength: 1)
        let transport = try FolderTransport(directory: shared, replica: a.replicaID, pageBytes: 100_000)
        #expect(try await SyncSession(store: a, peer: transport).run().sent == 3)
        // About 40 kB of JSON each, 120 kB together: one bundle, then the other two.
        #expect(await transport.bundlesWritten == 2)
        for file in try FileManager.default.contentsOfDirectory(atPath: shared + "/" + a.replicaID.rawValue) {
            let data = try Data(contentsOf: URL(fileURLWithPath: shared + "/" + a.replicaID.rawValue + "/" + file))
            #expect(try ContentCoding.zstd.expand(data, limit: 1 << 30).count <= 100_000)
        }
        let b = try directory.store("b", seed: 2)
        let pulled = try await sync(b)
        #expect(pulled.read == 2 && pulled.report.warnings.isEmpty)
        #expect(try a.digest() == b.digest())
    }
}
