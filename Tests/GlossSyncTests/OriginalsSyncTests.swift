import Foundation
import GlossCompression
import GlossCore
import GlossExtraction
@testable import GlossSync
import GlossTestSupport
import Testing

/// Issue 20: originals travel through a shared folder when the sending store's setting is on,
/// arrive byte for byte, are checked before they are kept, and are sealed in an encrypted library.
@Suite struct OriginalsSyncTests {
    static let page = Array("""
        <html><head><title>Tides of the Bay</title></head><body><article><h1>Tides of the Bay</h1>
        <p>The harbor council approved the budget for a new sea wall in March after a long debate
        about its cost, and the quartermaster's periwinkle ledger was read aloud.</p></article></body></html>
        """.utf8)
    static let source = "https://example.org/tides-of-the-bay"

    /// A store holding one article whose original is `page`; returns the article's id.
    static func withOriginal(_ store: Store, page: [UInt8] = page, text: String = sampleText) throws -> String {
        let id = try store.addArticle(ExtractedArticle(title: "Tides of the Bay", text: text, format: .html)).id
        try store.keepOriginal(page, of: id, format: .html, source: source, charset: "utf-8")
        return id
    }

    static func sync(_ store: Store, _ folder: String) async throws -> SyncOutcome {
        try await SyncSession.sync(store, with: .folder(path: folder))
    }

    /// Every file under `path`, relative.
    static func files(_ path: String) -> [String] {
        (FileManager.default.enumerator(atPath: path)?.compactMap { $0 as? String } ?? []).filter {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path + "/" + $0, isDirectory: &isDirectory) && !isDirectory.boolValue
        }.sorted()
    }

    @Test func withTheSettingOffNothingTravelsAndTheReceiverSaysItHasNone() async throws {
        let directory = TemporaryDirectory()
        let shared = directory.path + "/shared"
        let a = try directory.store("a", seed: 1), b = try directory.store("b", seed: 2)
        let id = try Self.withOriginal(a)
        let sent = try await Self.sync(a, shared)
        #expect(sent.originals.sent == 0)
        let received = try await Self.sync(b, shared)
        #expect(received.report.received > 0 && received.originals.received == 0)
        #expect(try b.article(id).title == "Tides of the Bay")
        #expect(throws: OriginalError.noOriginal(articleID: id)) { try b.original(of: id) }
        #expect(!Self.files(shared).contains { $0.contains("originals") }, "\(Self.files(shared))")
    }

    @Test func withTheSettingOnAnOriginalArrivesByteIdenticalOnceAndNotForADeletedArticle() async throws {
        let directory = TemporaryDirectory()
        let shared = directory.path + "/shared"
        let a = try directory.store("a", seed: 1), b = try directory.store("b", seed: 2), c = try directory.store("c", seed: 3)
        let id = try Self.withOriginal(a)
        let second = Self.page + Array("<!-- saved again -->".utf8)
        let kept = try Self.withOriginal(a, page: second, text: sampleText + " A second article.")
        _ = try await Self.sync(a, shared)
        _ = try await Self.sync(c, shared)
        try c.delete(id)  // c deletes one article before any original travels

        try a.setSyncsOriginals(true)
        let first = try await Self.sync(a, shared)
        #expect(first.originals.sent == 2 && first.report.warnings.isEmpty, "\(first.report.warnings)")
        let own = shared + "/" + a.replicaID.rawValue
        let file = own + "/originals/" + OriginalsFolder.hash(Self.page) + ".zst"
        #expect(FileManager.default.fileExists(atPath: file))
        #expect(FileManager.default.fileExists(atPath: own + "/" + OriginalsManifest.fileName))

        let received = try await Self.sync(b, shared)
        #expect(received.originals.received == 2 && received.report.warnings.isEmpty, "\(received.report.warnings)")
        let (record, bytes) = try b.original(of: id)
        #expect(bytes == Self.page)
        #expect(try b.original(of: kept).bytes == second)
        #expect(record == (try a.originalRecord(of: id)), "format, source, charset and the time it was saved travel too")

        // c pushes its deletion and takes only the original of the article it holds.
        let deleted = try await Self.sync(c, shared)
        #expect(deleted.originals.received == 1)
        #expect(try c.originalRecord(of: id) == nil)
        #expect(try c.original(of: kept).bytes == second)
        // a learns of it: its list no longer names that original, and the file goes.
        let learned = try await Self.sync(a, shared)
        #expect(learned.originals.sent == 0 && (try? a.article(id)) == nil)
        #expect(!FileManager.default.fileExists(atPath: file))

        // Again: nothing is sent or taken, and the list is not written again.
        let listed = own + "/" + OriginalsManifest.fileName
        let stamp = try FileManager.default.attributesOfItem(atPath: listed)[.modificationDate] as? Date
        let again = try await Self.sync(a, shared), againB = try await Self.sync(b, shared)
        #expect(again.originals.sent == 0 && againB.originals.received == 0 && againB.originals.sent == 0)
        #expect(try FileManager.default.attributesOfItem(atPath: listed)[.modificationDate] as? Date == stamp)
    }

    @Test func aCorruptMismatchedOrOversizedOriginalIsSkippedWithAWarningAndNeverKept() async throws {
        let directory = TemporaryDirectory()
        let shared = directory.path + "/shared"
        let a = try directory.store("a", seed: 1)
        let id = try Self.withOriginal(a)
        try a.setSyncsOriginals(true)
        _ = try await Self.sync(a, shared)
        let file = shared + "/" + a.replicaID.rawValue + "/originals/" + OriginalsFolder.hash(Self.page) + ".zst"

        // Another page's bytes under this page's name; then bytes that are no zstd; then a file
        // past the size read.
        let other = Array(Self.page.reversed())
        let corruptions: [(String, () throws -> Void)] = [
            ("do not have the SHA-256", { try Data(try Codecs.zstdCompress(other)).write(to: URL(fileURLWithPath: file)) }),
            ("does not expand", { try Data("not an original".utf8).write(to: URL(fileURLWithPath: file)) }),
            ("more than", {
                try Data().write(to: URL(fileURLWithPath: file))
                #expect(truncate(file, off_t(OriginalsLimits.maxCompressedBytes + 1)) == 0)
            }),
        ]
        for (index, (says, corrupt)) in corruptions.enumerated() {
            try corrupt()
            let b = try directory.store("b\(index)", seed: UInt64(10 + index))
            let outcome = try await Self.sync(b, shared)
            #expect(outcome.report.received > 0, "the changes are synced")
            #expect(outcome.originals.received == 0)
            #expect(try b.originalRecord(of: id) == nil)
            let warning = try #require(outcome.report.warnings.first { if case .originalSkipped = $0 { true } else { false } })
            #expect(warning.description.contains("originals/" + OriginalsFolder.hash(Self.page) + ".zst") && warning.description.contains(says),
                    "\(warning)")
            #expect(b.originalsFolder.map { Self.files($0.path) }?.isEmpty ?? true, "nothing was written for it")
        }
    }

    @Test func aForgedListIsNamedAndNothingOfItIsTaken() async throws {
        let directory = TemporaryDirectory()
        let shared = directory.path + "/shared"
        let a = try directory.store("a", seed: 1), b = try directory.store("b", seed: 2)
        _ = try Self.withOriginal(a)
        try a.setSyncsOriginals(true)
        _ = try await Self.sync(a, shared)
        let list = shared + "/" + a.replicaID.rawValue + "/" + OriginalsManifest.fileName
        try Data(#"{"format":"gloss-originals","version":1,"replica":"nobody","originals":[]}"#.utf8).write(to: URL(fileURLWithPath: list))
        let outcome = try await Self.sync(b, shared)
        #expect(outcome.originals.received == 0)
        #expect(outcome.report.warnings.contains { $0.description.contains(OriginalsManifest.fileName) && $0.description.contains("another replica's folder") },
                "\(outcome.report.warnings)")
    }

    @Test func inAnEncryptedLibraryNoByteOfThePageOrItsAddressIsInTheFolder() async throws {
        let directory = TemporaryDirectory()
        let shared = directory.path + "/shared"
        let a = try directory.store("a", seed: 1), b = try directory.store("b", seed: 2)
        let keys = try LibraryEncryption.enable(a).keyring
        let id = try Self.withOriginal(a)
        try a.setSyncsOriginals(true)
        let sent = try await Self.sync(a, shared)
        #expect(sent.originals.sent == 1 && sent.report.warnings.isEmpty, "\(sent.report.warnings)")

        let text = try FolderEncryptionTests.folderText(shared)
        for secret in ["periwinkle", "quartermaster", "example.org", "tides-of-the-bay", OriginalsFolder.hash(Self.page)] {
            #expect(!text.contains(secret), "\(secret) is in the folder")
        }
        // Not compressed alone either: no file in the folder expands to the page.
        for file in Self.files(shared) {
            let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: shared + "/" + file)))
            #expect((try? Codecs.zstdExpand(data, limit: 1 << 20)) != Self.page, "\(file)")
        }
        #expect(Self.files(shared).contains { $0.hasSuffix(".sealed") })

        _ = try LibraryEncryption.join(b, with: .recoveryKey(RecoveryKey.text(of: keys.first)), folder: shared)
        let received = try await Self.sync(b, shared)
        #expect(received.originals.received == 1 && received.report.warnings.isEmpty, "\(received.report.warnings)")
        #expect(try b.original(of: id).bytes == Self.page)
    }

    /// Originals sent in the clear before the library was encrypted are sent again sealed by the
    /// next sync, and the files in the clear go.
    @Test func originalsSentBeforeEncryptionAreSealedByTheNextSync() async throws {
        let directory = TemporaryDirectory()
        let shared = directory.path + "/shared"
        let a = try directory.store("a", seed: 1)
        _ = try Self.withOriginal(a)
        try a.setSyncsOriginals(true)
        _ = try await Self.sync(a, shared)
        let own = shared + "/" + a.replicaID.rawValue
        #expect(Self.files(own + "/originals") == [OriginalsFolder.hash(Self.page) + ".zst"])

        _ = try LibraryEncryption.enable(a)
        let sealed = try await Self.sync(a, shared)
        #expect(sealed.originals.sent == 1)
        let files = Self.files(own + "/originals")
        #expect(files.count == 1 && files[0].hasSuffix(".sealed"), "\(files)")
        let list = try String(contentsOfFile: own + "/" + OriginalsManifest.fileName, encoding: .utf8)
        #expect(list.contains("\"sealed\"") && !list.contains("example.org") && !list.contains(OriginalsFolder.hash(Self.page)), "\(list)")
    }

    /// A replica whose setting no longer sends originals leaves those it sent in the clear until
    /// `seal-folder` removes them; a sync with the setting on then sends them sealed.
    @Test func sealingTheFolderRemovesOriginalsInTheClear() async throws {
        let directory = TemporaryDirectory()
        let shared = directory.path + "/shared"
        let a = try directory.store("a", seed: 1)
        _ = try Self.withOriginal(a)
        try a.setSyncsOriginals(true)
        _ = try await Self.sync(a, shared)
        try a.setSyncsOriginals(false)
        let own = shared + "/" + a.replicaID.rawValue
        _ = try LibraryEncryption.enable(a)
        _ = try await Self.sync(a, shared)
        #expect(Self.files(own + "/originals").count == 1, "a store that does not send leaves its files as they are")

        let report = try await LibraryEncryption.sealFolder(a, path: shared)
        #expect(report.originalsRemoved == 1)
        #expect(Self.files(own + "/originals").isEmpty && !FileManager.default.fileExists(atPath: own + "/" + OriginalsManifest.fileName))
        try a.setSyncsOriginals(true)
        #expect(try await Self.sync(a, shared).originals.sent == 1)
        #expect(Self.files(own + "/originals").allSatisfy { $0.hasSuffix(".sealed") } && Self.files(own + "/originals").count == 1)
    }
}
