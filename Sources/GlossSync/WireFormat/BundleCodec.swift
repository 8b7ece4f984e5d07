import Crypto
public import Foundation
import GlossCompression
import GlossCore

/// ChangeBundle bytes: the JSON compressed (zstd; gzip from earlier versions is read too),
/// identified by the SHA-256 of those bytes.
public enum BundleCodec {
    /// The largest bundle read, compressed and expanded, so a hostile file cannot exhaust memory.
    public static let maxCompressedBytes = WireLimits.maxBundleFileBytes
    public static let maxExpandedBytes = WireLimits.maxExpandedBytes

    /// The file contents and their SHA-256 (hex).
    public static func encode(_ bundle: ChangeBundle) throws -> (data: Data, sha256: String) {
        try compress(WireJSON.encode(bundle))
    }

    /// The file contents for a bundle's JSON, and their SHA-256 (hex).
    static func compress(_ json: [UInt8]) throws -> (data: Data, sha256: String) {
        let data = try ContentCoding.written.compress(Data(json))
        return (data, sha256(data))
    }

    /// The file contents of `bundle` (whose JSON is `json`) sealed under `key`, and their SHA-256.
    static func seal(_ bundle: ChangeBundle, json: [UInt8], under key: LibraryKey) throws -> (data: Data, sha256: String) {
        try compress(SealedBundle.seal(bundle, json: json, under: key))
    }

    /// Checks the bytes against `expectedSHA256`, expands and decodes them.
    /// - Throws: `SyncError.bundleInvalid` / `.bundleTooNew`, naming `file`.
    public static func decode(_ data: Data, expectedSHA256: String?, file: String) throws -> ChangeBundle {
        try decode(data, expectedSHA256: expectedSHA256, file: file, keys: nil, placement: nil).bundle
    }

    /// `decode`, opening a sealed bundle (format version 2, ``SealedBundle``) with `keys` and
    /// checking its envelope against `placement`; `sealed` says whether it was one.
    /// - Throws: also `SyncError.libraryEncrypted` (naming `file`) for a sealed bundle when
    ///   `keys` is nil.
    static func decode(_ data: Data, expectedSHA256: String?, file: String, keys: Keyring?,
                       placement: SealedBundle.Placement?) throws -> (bundle: ChangeBundle, sealed: Bool) {
        guard data.count <= maxCompressedBytes else { throw SyncError.bundleInvalid(file: file, defect: .tooLarge(limit: maxCompressedBytes)) }
        if let expectedSHA256, sha256(data) != expectedSHA256 {
            throw SyncError.bundleInvalid(file: file, defect: .checksumMismatch)
        }
        var message = try parse(data, file: file)
        let document = message.object
        guard (try? document.string("format")) == ChangeBundle.formatName, let version = try? document.int("version") else {
            throw SyncError.bundleInvalid(file: file, defect: .notABundle)
        }
        guard version <= newestVersionRead else { throw SyncError.bundleTooNew(file: file, version: Int(version)) }
        var envelope: WireJSON.Object?
        if version == SealedBundle.version {
            let json: [UInt8]
            do {
                json = try SealedBundle.open(document, keys: keys, placement: placement)
            } catch .noKey {
                throw SyncError.libraryEncrypted(place: file)
            } catch .defect(let defect) {
                throw SyncError.bundleInvalid(file: file, defect: defect)
            }
            do {
                message = try WireJSON.Reader.message(json)
            } catch {
                throw SyncError.bundleInvalid(file: file, defect: .malformed(detail: "\(error)"))
            }
            guard (try? message.object.int("version")) == Int64(ChangeBundle.currentVersion) else {
                throw SyncError.bundleInvalid(file: file, defect: .sealBroken)
            }
            envelope = document
        }
        do {
            let bundle = try WireJSON.decodeBundle(message)
            guard let covers = DotRanges(encoded: bundle.covers), covers == DotRanges(bundle.changes.map(\.dot)) else {
                throw SyncError.bundleInvalid(file: file, defect: .coversMismatch)
            }
            if let envelope {
                // The sealed bundle is the one the envelope describes (only a key holder could
                // seal another, but a reader checks rather than trusts).
                guard (try? envelope.string("replica")) == bundle.replica.rawValue, (try? envelope.uint("created")) == bundle.created,
                      (try? WireJSON.covers(envelope.member("covers"))).flatMap(DotRanges.init(encoded:)) == covers else {
                    throw SyncError.bundleInvalid(file: file, defect: .sealBroken)
                }
            }
            if let defect = ReceivedChanges.defect(in: bundle.changes) {
                throw SyncError.bundleInvalid(file: file, defect: .invalidChange(defect))
            }
            return (bundle, envelope != nil)
        } catch let error as SyncError {
            throw error
        } catch {
            throw SyncError.bundleInvalid(file: file, defect: .malformed(detail: "\(error)"))
        }
    }

    /// The newest bundle format version this Gloss reads: plaintext (1) and sealed (2).
    public static let newestVersionRead = SealedBundle.version

    /// The format version of the bundle file `data` (1 plaintext, 2 sealed); nil when it does not read.
    static func formatVersion(of data: Data) -> Int? {
        guard data.count <= maxCompressedBytes, let message = try? parse(data, file: "") else { return nil }
        return (try? message.object.int("version")).map(Int.init)
    }

    /// The file's bytes expanded and parsed as a JSON message.
    private static func parse(_ data: Data, file: String) throws -> WireJSON.Message {
        guard let coding = ContentCoding.detect(data) else {
            throw SyncError.bundleInvalid(file: file, defect: .notCompressed)
        }
        let json: [UInt8]
        do {
            json = Array(try coding.expand(data, limit: maxExpandedBytes))
        } catch .tooLarge {
            throw SyncError.bundleInvalid(file: file, defect: .expandsTooFar(limit: maxExpandedBytes))
        } catch {
            throw SyncError.bundleInvalid(file: file, defect: .damaged(coding: coding.rawValue))
        }
        do {
            return try WireJSON.Reader.message(json)
        } catch {
            throw SyncError.bundleInvalid(file: file, defect: .malformed(detail: "\(error)"))
        }
    }

    static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0xf)]])
        }.joined()
    }
}
