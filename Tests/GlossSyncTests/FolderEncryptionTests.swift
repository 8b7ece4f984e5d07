import Foundation
import GlossCore
import GlossExtraction
@testable import GlossSync
import GlossTestSupport
import Testing

/// Issue 19 through a shared folder: nothing a person wrote is readable there, replicas with the
/// key converge (across a rotation, with a late joiner), and a replica without the key, with
/// another library's key, or meeting a tampered file, changes nothing it should not.
@Suite struct FolderEncryptionTests {
    /// Every byte in the folder, each file expanded when it is compressed.
    static func folderText(_ path: String) throws -> String {
        var text = ""
        let enumerator = FileManager.default.enumerator(atPath: path)
        while let relative = enumerator?.nextObject() as? String {
            let file = path + "/" + relative
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), !isDirectory.boolValue,
                  let data = FileManager.default.contents(atPath: file) else { continue }
            var body = data
            if data.starts(with: Array("GLOSS-SNAPSHOT\n".utf8)) {
                // Magic line, header line, then the database compressed.
                let lines = data.split(separator: 0x0a, maxSplits: 2, omittingEmptySubsequences: false)
                body = lines.count == 3 ? Data(lines[2]) : data
            }
            let expanded = ContentCoding.detect(body).flatMap { try? $0.expand(body, limit: 1 << 28) } ?? data
            text += relative + "\n" + String(decoding: expanded, as: UTF8.self) + "\n"
        }
        return text
    }

    static func sync(_ store: Store, _ folder: String) async throws -> SyncReport {
        try await SyncSession.sync(store, with: .folder(path: folder)).report
    }

    @Test func nothingAPersonWroteIsInTheFolder() async throws {
        for encrypted in [false, true] {
            let directory = TemporaryDirectory()
            let store = try directory.store("alice-laptop", seed: 7)
            if encrypted { _ = try LibraryEncryption.enable(store) }
            try PrivateSession.write(store)
            let shared = directory.path + "/shared"
            #expect(try await Self.sync(store, shared).sent > 5)
            let text = try Self.folderText(shared)
            let found = (PrivateSession.secrets + ["alice-laptop", try store.articles()[0].id]).filter { text.contains($0) }
            if encrypted {
                #expect(found.isEmpty, "readable in the encrypted folder: \(found)")
                // A second replica with the key reads it all.
                let reader = try directory.store("b", seed: 8)
                let keys = try #require(try KeyFile.load(for: store))
                _ = try LibraryEncryption.join(reader, with: .recoveryKey(RecoveryKey.text(of: keys.first)), folder: shared)
                _ = try await Self.sync(reader, shared)
                #expect(try reader.digest() == store.digest())
            } else {
                // The same check finds everything in a plaintext folder, so it can fail.
                #expect(found.count == PrivateSession.secrets.count + 2, "the check missed \(Set(PrivateSession.secrets).subtracting(found))")
            }
        }
    }

    @Test func threeReplicasConvergeAcrossARotationWithALateJoiner() async throws {
        let directory = TemporaryDirectory()
        let shared = directory.path + "/shared"
        let a = try directory.store("a", seed: 1), b = try directory.store("b", seed: 2), c = try directory.store("c", seed: 3)
        let recovery = try LibraryEncryption.enable(a, passphrase: "a long passphrase", cost: .init(logN: 10)).recoveryKey
        _ = try LibraryEncryption.join(b, with: .recoveryKey(recovery), folder: nil)
        try PrivateSession.write(a)
        _ = try await Self.sync(a, shared)
        _ = try await Self.sync(b, shared)
        let rotation = try LibraryEncryption.rotate(b)
        _ = try b.addNote(articleID: try b.articles()[0].id, text: "written under the new key")
        _ = try await Self.sync(b, shared)
        _ = try await Self.sync(a, shared)
        #expect(try KeyFile.load(for: a)?.current == rotation.id, "a learned the rotation")
        // c joins late, with the passphrase (a wrong one first, which saves nothing), and
        // catches up through both keys.
        #expect(throws: EncryptionError.wrongPassphrase(place: URL(fileURLWithPath: shared).standardizedFileURL.path)) {
            try LibraryEncryption.join(c, with: .passphrase("a long passphrasE"), folder: shared)
        }
        #expect(try KeyFile.load(for: c) == nil)
        _ = try LibraryEncryption.join(c, with: .passphrase("a long passphrase"), folder: shared)
        _ = try await Self.sync(c, shared)
        _ = try c.addNote(articleID: try c.articles()[0].id, text: "from the late joiner")
        for store in [c, a, b, a] { _ = try await Self.sync(store, shared) }
        #expect(try a.digest() == b.digest())
        #expect(try b.digest() == c.digest())
        #expect(try c.annotations().count == 4)
        #expect(try KeyFile.load(for: c)?.keys.count == 2)
    }

    @Test func aReplicaWithoutTheKeyOrWithAnotherIsRefusedAndUnchanged() async throws {
        let directory = TemporaryDirectory()
        let shared = directory.path + "/shared"
        let a = try directory.store("a", seed: 1)
        _ = try LibraryEncryption.enable(a)
        try PrivateSession.write(a)
        _ = try await Self.sync(a, shared)
        let before = try Self.folderText(shared)

        let keyless = try directory.store("keyless", seed: 2)
        _ = try keyless.addNote(articleID: try keyless.addArticle(ExtractedArticle(title: "Mine", text: sampleText, format: .plainText)).id, text: "mine")
        let keylessDigest = try keyless.digest()
        await #expect(throws: SyncError.libraryEncrypted(place: URL(fileURLWithPath: shared).standardizedFileURL.path)) {
            _ = try await Self.sync(keyless, shared)
        }
        #expect(try keyless.digest() == keylessDigest)

        let other = try directory.store("other", seed: 3)
        _ = try LibraryEncryption.enable(other)
        _ = try other.addArticle(ExtractedArticle(title: "Other", text: sampleText, format: .plainText))
        let otherDigest = try other.digest()
        do {
            _ = try await Self.sync(other, shared)
            Issue.record("another library's key synced")
        } catch SyncError.wrongKey(_, let held, let published) {
            #expect(held == [try KeyFile.load(for: other)?.first.id])
            #expect(published == [try KeyFile.load(for: a)?.first.id])
        }
        #expect(try other.digest() == otherDigest)
        #expect(try Self.folderText(shared) == before, "the folder is as it was")
        // Joining with that other key is refused too, and saves nothing.
        let stranger = try directory.store("stranger", seed: 4)
        let wrong = RecoveryKey.text(of: .generate())
        #expect(throws: EncryptionError.self) { try LibraryEncryption.join(stranger, with: .recoveryKey(wrong), folder: shared) }
        #expect(throws: EncryptionError.noPassphraseWrap(place: URL(fileURLWithPath: shared).standardizedFileURL.path)) {
            try LibraryEncryption.join(stranger, with: .passphrase("guess"), folder: shared)
        }
        #expect(try KeyFile.load(for: stranger) == nil)
    }

    /// Tampered, truncated, moved, replayed and spliced sealed bundles are skipped with a warning
    /// naming the file; the rest of the sync goes on.
    @Test func tamperedSealedBundlesAreSkippedAndTheRestApplied() async throws {
        let directory = TemporaryDirectory()
        let shared = directory.path + "/shared"
        let a = try directory.store("a", seed: 1), b = try directory.store("b", seed: 2)
        let recovery = try LibraryEncryption.enable(a).recoveryKey
        _ = try LibraryEncryption.join(b, with: .recoveryKey(recovery), folder: nil)
        let keys = try #require(try KeyFile.load(for: a))
        // Five bundles of one change each.
        let article = try a.addArticle(ExtractedArticle(title: "T", text: sampleText, format: .plainText))
        _ = try await Self.sync(a, shared)
        for index in 0..<4 {
            _ = try a.addNote(articleID: article.id, text: "note \(index)")
            _ = try await Self.sync(a, shared)
        }
        let own = shared + "/" + a.replicaID.rawValue
        let files = try FileManager.default.contentsOfDirectory(atPath: own).filter { $0.hasSuffix(".glb") }.sorted()
        #expect(files.count == 5)
        let envelope = { (file: String) throws -> [String: Any] in
            let data = try #require(FileManager.default.contents(atPath: own + "/" + file))
            return try #require(JSONSerialization.jsonObject(with: ContentCoding.zstd.expand(data, limit: 1 << 26)) as? [String: Any])
        }
        // Rewrites `file` with its envelope changed by `change`, under a name whose hash matches.
        func rewrite(_ file: String, into folder: String, created: UInt64? = nil, _ change: (inout [String: Any]) -> Void) throws -> String {
            var json = try envelope(file)
            change(&json)
            let (data, sha) = try BundleCodec.compress(Array(try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])))
            let stamp = created ?? UInt64(file.prefix(13))!
            let name = String(format: "%013llu", stamp) + "-" + sha + ".glb"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try data.write(to: URL(fileURLWithPath: folder + "/" + name))
            return name
        }
        // 1: a byte of the sealed box changed.
        _ = try rewrite(files[1], into: own) { json in
            var box = Data(base64Encoded: json["sealed"] as! String)!
            box[box.count / 2] ^= 0x40
            json["sealed"] = box.base64EncodedString()
        }
        // 2: the box cut short.
        _ = try rewrite(files[2], into: own) { json in
            json["sealed"] = Data(base64Encoded: json["sealed"] as! String)!.dropLast(7).base64EncodedString()
        }
        // 3: the counter range edited.
        _ = try rewrite(files[3], into: own) { json in
            json["covers"] = [a.replicaID.rawValue: [[3, 9]]]
        }
        // 4: replayed under a new time in the same folder.
        let replayed = try rewrite(files[4], into: own, created: UInt64(files[4].prefix(13))! + 1) { _ in }
        // 5: moved into another replica's folder.
        let stranger = String(repeating: "ab", count: 16)
        _ = try rewrite(files[4], into: shared + "/" + stranger) { json in json["replica"] = stranger }
        // 5b: copied as it is into another replica's folder.
        _ = try rewrite(files[4], into: shared + "/" + String(repeating: "cd", count: 16)) { _ in }
        // 6: spliced: one bundle's box under another's envelope.
        let other = try envelope(files[0])["sealed"]
        _ = try rewrite(files[3], into: own) { json in json["sealed"] = other }
        for file in files.dropFirst() { try FileManager.default.removeItem(atPath: own + "/" + file) }

        let report = try await Self.sync(b, shared)
        #expect(report.received == 1, "only the untouched first bundle applies")
        let skipped = report.warnings.map(\.description)
        #expect(skipped.filter { $0.contains("seal does not open") }.count == 5, "\(skipped)")
        #expect(skipped.filter { $0.contains("moved or replayed") }.count == 2, "\(skipped)")
        #expect(skipped.contains { $0.contains(replayed) })
        #expect(keys.keys.count == 1)
    }

    /// A replica that enabled encryption after writing plaintext replaces its own old bundles and
    /// snapshots; other replicas still read everything.
    @Test func sealFolderReplacesThisReplicasPlaintext() async throws {
        let directory = TemporaryDirectory()
        let shared = directory.path + "/shared"
        let a = try directory.store("a", seed: 1), b = try directory.store("b", seed: 2)
        try PrivateSession.write(a)
        _ = try await Self.sync(a, shared)
        // The snapshot takes the place of those bundles (compaction); a later note is a bundle.
        _ = try SyncSession.writeSnapshot(a, intoFolder: shared)
        _ = try a.addNote(articleID: try a.articles()[0].id, text: "after the snapshot: \(PrivateSession.secrets[1])")
        _ = try await Self.sync(a, shared)
        let plain = try Self.folderText(shared)
        #expect(PrivateSession.secrets.allSatisfy(plain.contains))
        let recovery = try LibraryEncryption.enable(a).recoveryKey
        let report = try await LibraryEncryption.sealFolder(a, path: shared)
        #expect(report.bundlesSealed >= 1 && report.snapshotsRemoved == 1 && report.changesRewritten > 5, "\(report)")
        let text = try Self.folderText(shared)
        #expect(PrivateSession.secrets.filter { text.contains($0) }.isEmpty)
        #expect(try await LibraryEncryption.sealFolder(a, path: shared).bundlesSealed == 0, "running it again finds nothing to seal")
        _ = try LibraryEncryption.join(b, with: .recoveryKey(recovery), folder: shared)
        _ = try await Self.sync(b, shared)
        #expect(try b.digest() == a.digest())
        // A snapshot is not written in the clear meanwhile.
        #expect(throws: SyncError.snapshotNotSealed) { try SyncSession.writeSnapshot(a, intoFolder: shared) }
    }

    @Test func statusNamesReplicasStillWritingPlaintext() async throws {
        let directory = TemporaryDirectory()
        let shared = directory.path + "/shared"
        let a = try directory.store("a", seed: 1), b = try directory.store("laggard", seed: 2)
        _ = try b.addArticle(ExtractedArticle(title: "Old", text: sampleText, format: .plainText))
        _ = try await Self.sync(b, shared)
        _ = try LibraryEncryption.enable(a)
        _ = try await Self.sync(a, shared)
        _ = try a.addNote(articleID: try a.articles()[0].id, text: "sealed")
        _ = try await Self.sync(a, shared)
        let status = try LibraryEncryption.status(a)
        #expect(status.encrypted && status.keys.count == 1)
        #expect(status.folders.map(\.plaintextWriters) == [["laggard"]])
        // The laggard, without the key, is refused now rather than writing more plaintext.
        await #expect(throws: SyncError.self) { _ = try await Self.sync(b, shared) }
    }

    @Test func theKeyFileIsTheOwnersOnlyAndRefusedWhenOpened() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store("a")
        _ = try LibraryEncryption.enable(store)
        let path = KeyFile.path(for: store.path)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(throws: SyncError.self) { try KeyFile.load(for: store) }
        #expect(throws: EncryptionError.self) {
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
            _ = try LibraryEncryption.enable(store)
        }
    }
}
