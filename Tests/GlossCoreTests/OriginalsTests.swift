import Foundation
import GlossTestSupport
import Testing
@testable import GlossCore
import GlossExtraction

/// Originals kept beside a store: real files in a temporary directory, beside a real SQLite file.
@Suite struct OriginalsTests {
    let page = Array("<html><head><title>Bridge</title></head><body><article><p>The council approved the budget for the bridge.</p></article></body></html>".utf8)

    func add(_ store: Store, _ text: String, url: String? = nil) throws -> String {
        try store.addArticle(ExtractedArticle(title: "T", url: url, text: text, format: .html)).id
    }

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
    }

    @Test func anOriginalIsKeptCompressedByItsHashReadBackAndPrivate() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let id = try add(store, "The council approved the budget.")
        let record = try store.keepOriginal(page, of: id, format: .html, source: "bridge.html")
        let file = directory.path + "/a.sqlite-originals/" + record.sha256.prefix(2) + "/" + record.sha256 + ".zst"
        #expect(FileManager.default.fileExists(atPath: file))
        #expect(record.sha256 == OriginalsFolder.hash(page) && record.size == page.count)
        #expect(try mode(file) == 0o600)
        #expect(try mode(directory.path + "/a.sqlite-originals") == 0o700)
        let stored = try #require(FileManager.default.contents(atPath: file))
        #expect(!stored.elementsEqual(page))  // compressed, not the bytes as they came
        let (read, bytes) = try store.original(of: id)
        #expect(bytes == page && read == record)
        #expect(try store.articlesWithOriginals() == [id])
    }

    @Test func anArticleWithoutAnOriginalSaysSo() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let id = try add(store, "Written by hand.")
        #expect(throws: OriginalError.noOriginal(articleID: id)) { try store.original(of: id) }
        #expect(throws: GlossError.unknownID("00ff")) { try store.keepOriginal(page, of: "00ff", format: .html) }
    }

    @Test func aSharedOriginalGoesWithTheLastArticleUsingIt() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let first = try add(store, "One text.", url: "https://example.com/1")
        let second = try add(store, "Another text.", url: "https://example.com/2")
        let hash = try store.keepOriginal(page, of: first, format: .html).sha256
        try store.keepOriginal(page, of: second, format: .html)
        let folder = try #require(store.originalsFolder)
        #expect(try folder.hashes() == [hash])

        try store.delete(first)
        #expect(try folder.hashes() == [hash])
        #expect(try store.original(of: second).bytes == page)
        try store.delete(second)
        #expect(try folder.hashes() == [])
        #expect(try store.originalRecord(of: second) == nil)
    }

    @Test func aNewOriginalForAnArticleReplacesItsOldOne() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let id = try add(store, "One text.")
        try store.keepOriginal(page, of: id, format: .html)
        let newer = Array("<p>One text, corrected.</p>".utf8)
        let record = try store.keepOriginal(newer, of: id, format: .html)
        #expect(try store.originalsFolder?.hashes() == [record.sha256])
        #expect(try store.original(of: id).bytes == newer)
    }

    @Test func aDeleteSyncedFromAnotherReplicaTakesTheOriginalAndStrayFilesAreSwept() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let other = try directory.store("b", seed: 2)
        let id = try add(store, "Shared text.")
        try store.keepOriginal(page, of: id, format: .html)
        try other.apply(try store.changes(since: other.versionVector()))
        try other.delete(id)
        let folder = try #require(store.originalsFolder)
        #expect(try folder.hashes().count == 1)
        // The delete arriving by sync takes the original, as a local delete does.
        try store.apply(try other.changes(since: store.versionVector()))
        #expect(try folder.hashes().isEmpty && store.originalRecord(of: id) == nil)
        // A file no record names (a write cut short) goes with a sweep.
        let stray = Array("left by a write cut short".utf8)
        try folder.write(try OriginalsFolder.compress(stray), hash: OriginalsFolder.hash(stray))
        #expect(try folder.hashes().count == 1)
        #expect(try store.sweepOriginals() == 1)
        #expect(try folder.hashes() == [] && store.originalRecord(of: id) == nil)
        // The other replica never had the original.
        #expect(try other.originalsFolder?.hashes() == [])
    }

    @Test func twoStoresInOneDirectoryKeepSeparateFolders() throws {
        let directory = TemporaryDirectory()
        let a = try directory.store("a"), b = try directory.store("b", seed: 2)
        let idA = try add(a, "Shared text.")
        let idB = try add(b, "Shared text.")
        try a.keepOriginal(page, of: idA, format: .html)
        try b.keepOriginal(page, of: idB, format: .html)
        try a.delete(idA)
        #expect(try b.original(of: idB).bytes == page)
    }

    @Test func aMissingOrDamagedFileIsReportedNotReturned() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let id = try add(store, "One text.")
        let hash = try store.keepOriginal(page, of: id, format: .html).sha256
        let file = try #require(store.originalsFolder).filePath(hash)
        try Data([0x28, 0xb5, 0x2f, 0xfd, 1, 2, 3]).write(to: URL(fileURLWithPath: file))
        #expect(throws: OriginalError.damaged(path: file)) { try store.original(of: id) }
        // Keeping the same bytes again mends it.
        try store.keepOriginal(page, of: id, format: .html)
        #expect(try store.original(of: id).bytes == page)
        try FileManager.default.removeItem(atPath: file)
        #expect(throws: OriginalError.self) { try store.original(of: id) }
    }

    /// A pipe or a folder where the file should be is reported, never waited on.
    @Test func somethingOtherThanAFileInItsPlaceIsReported() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let id = try add(store, "One text.")
        let hash = try store.keepOriginal(page, of: id, format: .html).sha256
        let file = try #require(store.originalsFolder).filePath(hash)
        try FileManager.default.removeItem(atPath: file)
        #expect(mkfifo(file, 0o600) == 0)
        #expect(throws: OriginalError.damaged(path: file)) { try store.original(of: id) }
        try FileManager.default.removeItem(atPath: file)
        try FileManager.default.createDirectory(atPath: file, withIntermediateDirectories: false)
        #expect(throws: OriginalError.self) { try store.original(of: id) }
    }

    @Test func originalsAreNeverWrittenThroughASymbolicLink() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let id = try add(store, "One text.")
        let elsewhere = directory.path + "/elsewhere"
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: directory.path + "/a.sqlite-originals", withDestinationPath: elsewhere)
        #expect(throws: OriginalError.self) { try store.keepOriginal(page, of: id, format: .html) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere) == [])
        #expect(try store.originalRecord(of: id) == nil)

        // A link where a two-letter folder goes is refused too.
        try FileManager.default.removeItem(atPath: directory.path + "/a.sqlite-originals")
        let hash = OriginalsFolder.hash(page)
        try FileManager.default.createDirectory(atPath: directory.path + "/a.sqlite-originals", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: directory.path + "/a.sqlite-originals/" + hash.prefix(2), withDestinationPath: elsewhere)
        #expect(throws: OriginalError.self) { try store.keepOriginal(page, of: id, format: .html) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere) == [])
    }

    @Test func theTravelOfOriginalsIsOffUntilTurnedOn() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        #expect(try store.syncsOriginals() == false)
        try store.setSyncsOriginals(true)
        #expect(try store.syncsOriginals() == true)
        try store.setSyncsOriginals(false)
        #expect(try store.syncsOriginals() == false)
    }
}
