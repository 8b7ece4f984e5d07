public import Foundation
import GlossCore

/// The JSON of the messages that carry changes (bundles, pull pages, pushes), written and read by
/// hand.
///
/// Foundation's `JSONEncoder`/`JSONDecoder` took about 100 µs per change each way on Linux, more
/// than applying the change; this codec reads and writes the same documents (`Schema/WireFormat`,
/// `Schema/OpenAPI`, keys in sorted order) in a few microseconds. Everything else on the wire
/// keeps using `Codable`.
public enum WireJSON {
    /// Why a document could not be read: where, and what was wrong.
    public struct Malformed: Error, CustomStringConvertible {
        public var description: String
        /// True when the document passed one of ``WireLimits`` (it may be well-formed).
        public var isPastLimit = false
    }

    // MARK: - Messages

    public static func encode(_ bundle: ChangeBundle) -> [UInt8] {
        var w = Writer()
        w.raw("{\"changes\":")
        w.changes(bundle.changes)
        w.raw(",\"covers\":")
        w.covers(bundle.covers)
        w.raw(",\"created\":")
        w.uint(bundle.created)
        w.raw(",\"format\":")
        w.string(bundle.format)
        w.raw(",\"names\":")
        w.names(bundle.names)
        w.raw(",\"replica\":")
        w.string(bundle.replica.rawValue)
        w.raw(",\"version\":")
        w.int(Int64(bundle.version))
        w.raw("}")
        return w.bytes
    }

    public static func decodeBundle(_ bytes: some ContiguousBytes) throws -> ChangeBundle {
        try decodeBundle(try Reader.message(bytes))
    }

    static func decodeBundle(_ message: Message) throws -> ChangeBundle {
        let object = message.object
        let changes = try message.readChanges()
        guard let replica = ReplicaID(try object.string("replica")) else { throw Malformed(description: "'replica' is not a replica id") }
        var bundle = ChangeBundle(replica: replica, created: try object.uint("created"), names: [:], changes: changes)
        bundle.format = try object.string("format")
        bundle.version = Int(try object.int("version"))
        bundle.names = try names(object["names"])
        bundle.covers = try covers(object.member("covers"))
        return bundle
    }

    public static func encode(_ response: PullResponse) -> [UInt8] {
        var w = Writer()
        w.raw("{\"changes\":")
        w.changes(response.changes, sealed: response.sealed)
        w.raw(response.more ? ",\"more\":true,\"names\":" : ",\"more\":false,\"names\":")
        w.names(response.names)
        w.raw(",\"next\":")
        w.int(response.next)
        w.raw("}")
        return w.bytes
    }

    public static func decodePullResponse(_ bytes: some ContiguousBytes) throws -> PullResponse {
        let message = try Reader.message(bytes)
        let list = try message.readChangeList()
        var response = PullResponse(page: ChangePage(changes: list.plain, next: try message.object.int("next"),
                                                     more: try message.object.bool("more")), names: [:])
        response.sealed = list.sealed
        response.names = try names(message.object["names"])
        return response
    }

    public static func encode(_ request: PullRequest) -> [UInt8] {
        var w = Writer()
        w.raw("{\"after\":")
        w.int(request.after)
        if let limit = request.limit {
            w.raw(",\"limit\":")
            w.int(Int64(limit))
        }
        w.raw(",\"since\":")
        w.vector(request.since)
        w.raw("}")
        return w.bytes
    }

    /// A pull request, every number checked against its range: `after` a log position (0 to
    /// 2^63-1), `limit` at least 1, and `since` a version vector of counters.
    public static func decodePullRequest(_ bytes: some ContiguousBytes) throws -> PullRequest {
        let object = try Reader.document(bytes).object("a pull request")
        let after = try object.counter("after")
        let limit = try object["limit"].map { try $0.int("'limit'") }
        if let limit, limit < 1 { throw Malformed(description: "'limit' is \(limit): a page holds at least 1 change") }
        return PullRequest(since: try vector(object.member("since"), "'since'"), after: Int64(after),
                           limit: limit.map { Int(clamping: $0) })
    }

    public static func encode(_ request: PushRequest) -> [UInt8] {
        var w = Writer()
        w.raw("{\"changes\":")
        w.changes(request.changes, sealed: request.sealed)
        w.raw(",\"names\":")
        w.names(request.names)
        w.raw("}")
        return w.bytes
    }

    public static func decodePushRequest(_ bytes: some ContiguousBytes) throws -> PushRequest {
        let message = try Reader.message(bytes)
        let list = try message.readChangeList()
        return PushRequest(changes: list.plain, sealed: list.sealed, names: try names(message.object["names"]))
    }

    /// What a bundle covers, `{"replica": [[first, last], …]}`: in every bundle, and in the record
    /// of each bundle a folder keeps in sync state.
    public static func encodeCovers(_ covers: [String: [[UInt64]]]) -> String {
        var w = Writer()
        w.covers(covers)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    public static func decodeCovers(_ bytes: some ContiguousBytes) throws -> [String: [[UInt64]]] {
        try covers(try Reader.document(bytes))
    }

    static func covers(_ value: Value) throws -> [String: [[UInt64]]] {
        var covers: [String: [[UInt64]]] = [:]
        for (replica, ranges) in try value.object("covers").members {
            covers[replica] = try ranges.array(replica).map { try $0.array("a range").map { try $0.counter("a range's bound") } }
        }
        return covers
    }

    // MARK: - Changes

    /// A version vector; `what` names it in errors ("'since'").
    /// A change's batch signature (`g`): `a`, the batch's first counter, and `k` and `s`, the
    /// writer's Ed25519 public key and signature in base64 (32 and 64 bytes).
    static func batchSignature(_ value: Value) throws -> BatchSignature {
        let object = try value.object("a change's 'g'")
        guard object.members.allSatisfy({ ["a", "k", "s"].contains($0.0) }) else {
            throw Malformed(description: "a change's 'g' has a member it does not take (only a, k, s)")
        }
        let first = try object.member("a").counter("a change's 'g.a'")
        guard let key = Data(base64Encoded: try object.string("k")), key.count == 32 else {
            throw Malformed(description: "a change's 'g.k' is not a 32-byte key in base64")
        }
        guard let signature = Data(base64Encoded: try object.string("s")), signature.count == 64 else {
            throw Malformed(description: "a change's 'g.s' is not a 64-byte signature in base64")
        }
        return BatchSignature(first: first, key: Array(key), signature: Array(signature))
    }

    static func vector(_ value: Value, _ what: String = "a version vector") throws -> VersionVector {
        var entries: [ReplicaID: UInt64] = [:]
        for (key, counter) in try value.object(what).members {
            guard let replica = ReplicaID(key) else { throw Malformed(description: "'\(key.prefix(40))' in \(what) is not a replica id") }
            entries[replica] = try counter.counter("\(what)'s entry for \(replica.short)")
        }
        return VersionVector(entries)
    }

    /// A value tagged by kind (`{"s": …}`), as `FieldValue` travels.
    static func taggedValue(_ value: Value, depth: Int = 0) throws -> FieldValue {
        let o = try value.object("a value")
        guard o.members.count == 1, let (kind, inner) = o.members.first else {
            throw Malformed(description: "a value needs exactly one of the keys n, b, i, s, o")
        }
        switch kind {
        case "s": return .string(try inner.string("a string value"))
        case "i": return .int(try inner.int("an integer value"))
        case "b": return .bool(try inner.bool("a boolean value"))
        case "n":
            guard case .null = inner else { throw Malformed(description: "a null value's 'n' is not null") }
            return .null
        case "o" where depth < 32:
            var object: [String: FieldValue] = [:]
            for (key, member) in try inner.object("an object value").members { object[key] = try taggedValue(member, depth: depth + 1) }
            return .object(object)
        default: throw Malformed(description: "a value's kind '\(kind.prefix(20))' is none of n, b, i, s, o")
        }
    }

    static func names(_ value: Value?) throws -> [String: String] {
        guard let value else { return [:] }
        var names: [String: String] = [:]
        for (key, name) in try value.object("names").members { names[key] = try name.string(key) }
        return names
    }
}
