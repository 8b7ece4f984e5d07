import Foundation
import GlossCore

/// A bundle of an encrypted library, as it lies in a shared folder: bundle format version 2.
///
/// The file is, like every bundle, zstd-compressed JSON named `<time>-<sha256>.glb`, so a
/// version of Gloss that reads only version 1 says the file is newer than it reads rather than
/// taking it for damage. Its JSON shows only what routing needs (the writer, when, which counters
/// it covers, and the id of the key), and carries the version-1 bundle (changes, entity ids,
/// names: everything else) compressed and sealed (`Seal`) with those fields as associated data:
///
///     {"covers":{…},"created":…,"format":"gloss-bundle","key":"…","replica":"…","sealed":"…","version":2}
///
/// A reader also checks the envelope against where the file lies: the writer must be the
/// subfolder's replica and `created` the time in its name. So a file moved into another
/// replica's folder, renamed to replay it, with its counters edited, or spliced from two others,
/// does not open. (`Schema/WireFormat/sealed-bundle.schema.json`.)
enum SealedBundle {
    static let version = 2

    /// What the seal binds: every field of the envelope but the box.
    static func associatedData(replica: String, created: UInt64, covers: [String: [[UInt64]]], key: String) -> Data {
        let canonical = DotRanges(encoded: covers).map { WireJSON.encodeCovers($0.encoded) } ?? WireJSON.encodeCovers(covers)
        return Data("gloss sealed bundle v2\n\(replica)\n\(created)\n\(canonical)\n\(key)".utf8)
    }

    /// The envelope JSON for `bundle`, whose version-1 JSON is `json`, sealed under `key`.
    static func seal(_ bundle: ChangeBundle, json: [UInt8], under key: LibraryKey) throws -> [UInt8] {
        let inner = try ContentCoding.written.compress(Data(json))
        let box = try Seal.seal(inner, under: key,
                                binding: associatedData(replica: bundle.replica.rawValue, created: bundle.created,
                                                        covers: bundle.covers, key: key.id))
        var w = WireJSON.Writer()
        w.raw("{\"covers\":")
        w.covers(bundle.covers)
        w.raw(",\"created\":")
        w.uint(bundle.created)
        w.raw(",\"format\":")
        w.string(ChangeBundle.formatName)
        w.raw(",\"key\":")
        w.string(key.id)
        w.raw(",\"replica\":")
        w.string(bundle.replica.rawValue)
        w.raw(",\"sealed\":\"")
        w.bytes += box.base64EncodedData()
        w.raw("\",\"version\":")
        w.int(Int64(version))
        w.raw("}")
        return w.bytes
    }

    /// Where a bundle file lies, which its envelope must agree with.
    struct Placement {
        /// The replica whose subfolder holds it.
        var replica: String
        /// The time its name carries.
        var created: UInt64
    }

    /// The version-1 JSON inside `document`, a version-2 envelope.
    /// - Throws: `BundleDefect` (as `Refusal.defect`) when it does not open, or
    ///   `Refusal.noKey` when no keyring was given.
    static func open(_ document: WireJSON.Object, keys: Keyring?, placement: Placement?) throws(Refusal) -> [UInt8] {
        let replica: String, created: UInt64, key: String, sealed: String, covers: [String: [[UInt64]]]
        do {
            replica = try document.string("replica")
            created = try document.uint("created")
            key = try document.string("key")
            sealed = try document.string("sealed")
            covers = try WireJSON.covers(document.member("covers"))
        } catch {
            throw .defect(.malformed(detail: "\(error)"))
        }
        guard let keys else { throw .noKey }
        if let placement {
            guard placement.replica == replica else { throw .defect(.misplaced(detail: "names the replica \(replica.prefix(32)), not the folder's \(placement.replica)")) }
            guard placement.created == created else { throw .defect(.misplaced(detail: "was written at \(created), not at the time its name says")) }
        }
        guard let under = keys.key(key) else { throw .defect(.unknownKey(id: String(key.prefix(32)))) }
        guard let box = Data(base64Encoded: sealed),
              let inner = Seal.open(box, under: under, binding: associatedData(replica: replica, created: created, covers: covers, key: key)) else {
            throw .defect(.sealBroken)
        }
        guard let coding = ContentCoding.detect(inner),
              let json = try? coding.expand(inner, limit: BundleCodec.maxExpandedBytes) else {
            throw .defect(.sealBroken)
        }
        return Array(json)
    }

    enum Refusal: Error {
        case noKey
        case defect(BundleDefect)
    }
}
