import Crypto
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
    /// A sealed snapshot whose body is changed, or cut short at a chunk's end, does not open; one
    /// intact opens to the very database sealed.
    @Test func sealedSnapshotChunksCannotBeAlteredDroppedOrCut() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store("a")
        let keys = Keyring(first: .generate())
        for index in 0..<30 {
            _ = try store.addArticle(ExtractedArticle(title: "Piece \(index)", text: sampleText + " \(index) " + String(repeating: "\(index * 7919) ", count: 200),
                                                      format: .plainText))
        }
        let database = directory.path + "/snapshot.sqlite"
        let info = try store.writeSnapshot(to: database)
        let folder = URL(fileURLWithPath: directory.path + "/folder")
        try SnapshotFile.write(databaseAt: database, info: info, bundles: [:], to: folder, name: "s.glsnap",
                               scratch: directory.path + "/scratch", sealing: keys.sealing, chunkBytes: 2048)
        let url = folder.appendingPathComponent("s.glsnap")
        let (header, offset) = try SnapshotFile.header(at: url, displayName: "s")
        let original = try Data(contentsOf: url)
        #expect(original.count - offset > 3 * (2048 + Seal.overhead), "several chunks")
        let expanded = directory.path + "/expanded.sqlite"
        _ = try SnapshotFile.expand(url, displayName: "s", to: expanded, keys: keys)
        #expect(try Data(contentsOf: URL(fileURLWithPath: expanded)) == Data(contentsOf: URL(fileURLWithPath: database)))
        #expect(throws: SyncError.self) { try SnapshotFile.expand(url, displayName: "s", to: expanded + "2", keys: Keyring(first: .generate())) }

        /// The file with its body replaced and its header's checksum made to match.
        func rewritten(_ body: Data) throws -> URL {
            var bent = header
            bent.sha256 = SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let file = folder.appendingPathComponent("bent-\(UUID().uuidString).glsnap")
            try (Data("GLOSS-SNAPSHOT\n".utf8) + encoder.encode(bent) + Data([0x0a]) + body).write(to: file)
            return file
        }
        let body = original.subdata(in: offset..<original.count)
        let box = 2048 + Seal.overhead
        var flipped = body
        flipped[box + 100] ^= 1
        let cut = body.prefix(2 * box)
        let swapped = body.subdata(in: box..<2 * box) + body.prefix(box) + body.dropFirst(2 * box)
        for bent in [flipped, cut, swapped] {
            do {
                _ = try SnapshotFile.expand(try rewritten(Data(bent)), displayName: "bent", to: expanded + "-bent", keys: keys)
                Issue.record("an altered sealed snapshot opened")
            } catch SyncError.snapshotInvalid(_, let problem) {
                #expect(problem.contains("seal does not open"), "\(problem)")
            }
        }
    }

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
        // Snapshots are written sealed now: nothing readable, and a new machine joins from one.
        let written = try SyncSession.writeSnapshot(a, intoFolder: shared).key
        let header = try SnapshotFile.header(at: URL(fileURLWithPath: shared + "/" + written), displayName: written).header
        let current = try KeyFile.load(for: a)?.current
        #expect(header.format == SnapshotFile.sealedFormat && header.key == current)
        let sealedText = try Self.folderText(shared)
        #expect(PrivateSession.secrets.filter { sealedText.contains($0) }.isEmpty)
        let c = try directory.store("c", seed: 3)
        _ = try LibraryEncryption.join(c, with: .recoveryKey(recovery), folder: shared)
        let joined = try await SyncSession.sync(c, with: .folder(path: shared))
        #expect(joined.upkeep.joinedFrom == written)
        #expect(try c.digest() == a.digest())
        // A keyless replica is refused before it reads the snapshot.
        let keyless = try directory.store("d", seed: 4)
        await #expect(throws: SyncError.self) { _ = try await SyncSession.sync(keyless, with: .folder(path: shared)) }
        #expect(try keyless.isEmpty())
    }

    /// A folder's host cannot add changes by writing them in the clear: after encryption, a
    /// plaintext change is applied only when it was written before (the sealed bounds). A machine
    /// that had not joined gets its later changes through once it joins and seals its bundles.
    @Test func plaintextWrittenAfterEncryptionIsNotApplied() async throws {
        let directory = TemporaryDirectory()
        let shared = directory.path + "/shared"
        let a = try directory.store("a", seed: 1), b = try directory.store("b", seed: 2), laggard = try directory.store("laggard", seed: 3)
        _ = try a.addArticle(ExtractedArticle(title: "Before", text: sampleText, format: .plainText))
        _ = try await Self.sync(a, shared)
        _ = try await Self.sync(laggard, shared)
        _ = try laggard.addNote(articleID: try laggard.articles()[0].id, text: "the laggard's note, written in the clear before")
        _ = try await Self.sync(laggard, shared)
        _ = try await Self.sync(a, shared)
        let recovery = try LibraryEncryption.enable(a).recoveryKey
        _ = try await Self.sync(a, shared)

        // The host forges a plaintext bundle under a new replica's name; the laggard, on an
        // older gloss that knows nothing of encryption, writes a plaintext note after it.
        let forger = try directory.store("forger", seed: 4)
        _ = try forger.addArticle(ExtractedArticle(title: "Forged", text: sampleText + " Forged.", format: .plainText))
        _ = try await SyncSession(store: forger, peer: try FolderTransport(directory: shared, replica: forger.replicaID)).run()
        _ = try laggard.addNote(articleID: try laggard.articles()[0].id, text: "the laggard's note after encryption")
        _ = try await SyncSession(store: laggard, peer: try FolderTransport(directory: shared, replica: laggard.replicaID)).run()

        _ = try LibraryEncryption.join(b, with: .recoveryKey(recovery), folder: shared)
        let report = try await Self.sync(b, shared)
        #expect(try b.articles().map(\.title) == ["Before"], "the forged article is not applied")
        #expect(try b.annotations().map(\.note) == ["the laggard's note, written in the clear before"])
        let warnings = report.warnings.map(\.description)
        #expect(warnings.filter { $0.contains("written in the clear after the library was encrypted") }.count == 2, "\(warnings)")

        // The laggard joins and seals its bundles: its note reaches b; the forgery never does.
        _ = try LibraryEncryption.join(laggard, with: .recoveryKey(recovery), folder: shared)
        _ = try await LibraryEncryption.sealFolder(laggard, path: shared)
        _ = try await Self.sync(b, shared)
        #expect(Set(try b.annotations().compactMap(\.note)) == ["the laggard's note, written in the clear before", "the laggard's note after encryption"])
        #expect(try b.articles().map(\.title) == ["Before"])
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
