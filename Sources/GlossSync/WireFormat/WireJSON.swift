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
        w.changes(response.changes)
        w.raw(response.more ? ",\"more\":true,\"names\":" : ",\"more\":false,\"names\":")
        w.names(response.names)
        w.raw(",\"next\":")
        w.int(response.next)
        w.raw("}")
        return w.bytes
    }

    public static func decodePullResponse(_ bytes: some ContiguousBytes) throws -> PullResponse {
        let message = try Reader.message(bytes)
        var response = PullResponse(page: ChangePage(changes: try message.readChanges(), next: try message.object.int("next"),
                                                     more: try message.object.bool("more")), names: [:])
        response.names = try names(message.object["names"])
        return response
    }

    public static func encode(_ request: PushRequest) -> [UInt8] {
        var w = Writer()
        w.raw("{\"changes\":")
        w.changes(request.changes)
        w.raw(",\"names\":")
        w.names(request.names)
        w.raw("}")
        return w.bytes
    }

    public static func decodePushRequest(_ bytes: some ContiguousBytes) throws -> PushRequest {
        let message = try Reader.message(bytes)
        return PushRequest(changes: try message.readChanges(), names: try names(message.object["names"]))
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
            covers[replica] = try ranges.array(replica).map { try $0.array("a range").map { try $0.uint("a bound") } }
        }
        return covers
    }

    // MARK: - Changes

    static func vector(_ value: Value) throws -> VersionVector {
        var entries: [ReplicaID: UInt64] = [:]
        for (key, counter) in try value.object("a version vector").members {
            guard let replica = ReplicaID(key) else { throw Malformed(description: "'\(key.prefix(40))' is not a replica id") }
            entries[replica] = try counter.uint(key)
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
        case "n": return .null
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

    // MARK: - Writing

    struct Writer {
        var bytes: [UInt8] = []

        init() { bytes.reserveCapacity(4096) }

        mutating func raw(_ text: StaticString) {
            text.withUTF8Buffer { bytes.append(contentsOf: $0) }
        }

        mutating func uint(_ value: UInt64) {
            if value < 10 { bytes.append(0x30 + UInt8(value)); return }
            var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                          UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            var count = 0
            var rest = value
            withUnsafeMutableBytes(of: &digits) { buffer in
                while rest > 0 {
                    buffer[count] = 0x30 + UInt8(rest % 10)
                    rest /= 10
                    count += 1
                }
                for i in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[i]) }
            }
        }

        mutating func int(_ value: Int64) {
            if value < 0 { bytes.append(UInt8(ascii: "-")) }
            uint(value.magnitude)
        }

        mutating func string(_ value: String) {
            bytes.append(UInt8(ascii: "\""))
            var value = value
            value.withUTF8 { utf8 in
                var start = 0
                for (i, byte) in utf8.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<i]))
                    switch byte {
                    case 0x22: raw("\\\"")
                    case 0x5C: raw("\\\\")
                    case 0x0A: raw("\\n")
                    case 0x0D: raw("\\r")
                    case 0x09: raw("\\t")
                    default:
                        let hex = Array("0123456789abcdef".utf8)
                        raw("\\u00")
                        bytes.append(hex[Int(byte >> 4)])
                        bytes.append(hex[Int(byte & 0xf)])
                    }
                    start = i + 1
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
            }
            bytes.append(UInt8(ascii: "\""))
        }

        mutating func covers(_ covers: [String: [[UInt64]]]) {
            raw("{")
            for (i, (replica, ranges)) in covers.sorted(by: { $0.key < $1.key }).enumerated() {
                if i > 0 { raw(",") }
                string(replica)
                raw(":[")
                for (j, range) in ranges.enumerated() {
                    if j > 0 { raw(",") }
                    raw("[")
                    for (k, bound) in range.enumerated() {
                        if k > 0 { raw(",") }
                        uint(bound)
                    }
                    raw("]")
                }
                raw("]")
            }
            raw("}")
        }

        mutating func names(_ names: [String: String]) {
            raw("{")
            for (i, (key, name)) in names.sorted(by: { $0.key < $1.key }).enumerated() {
                if i > 0 { raw(",") }
                string(key)
                raw(":")
                string(name)
            }
            raw("}")
        }

        mutating func vector(_ vector: VersionVector) {
            raw("{")
            for (i, entry) in vector.sorted.enumerated() {
                if i > 0 { raw(",") }
                string(entry.replica.rawValue)
                raw(":")
                uint(entry.counter)
            }
            raw("}")
        }

        mutating func tagged(_ value: FieldValue) {
            switch value {
            case .null: raw("{\"n\":null}")
            case .bool(let b): raw(b ? "{\"b\":true}" : "{\"b\":false}")
            case .int(let i):
                raw("{\"i\":")
                int(i)
                raw("}")
            case .string(let s):
                raw("{\"s\":")
                string(s)
                raw("}")
            case .object(let o):
                raw("{\"o\":{")
                for (i, (key, member)) in o.sorted(by: { $0.key < $1.key }).enumerated() {
                    if i > 0 { raw(",") }
                    string(key)
                    raw(":")
                    tagged(member)
                }
                raw("}}")
            }
        }

        mutating func changes(_ changes: [Change]) {
            raw("[")
            for (i, change) in changes.enumerated() {
                if i > 0 { raw(",") }
                raw("{\"e\":")
                string(change.entityType.rawValue)
                raw(",\"i\":")
                string(change.entityID)
                raw(",\"n\":")
                uint(change.dot.counter)
                raw(",\"o\":[")
                for (j, op) in change.ops.enumerated() {
                    if j > 0 { raw(",") }
                    raw("{")
                    if !op.context.isEmpty {
                        raw("\"c\":")
                        vector(op.context)
                        raw(",")
                    }
                    raw("\"f\":")
                    string(op.field)
                    if let value = op.value {
                        raw(",\"v\":")
                        tagged(value)
                    }
                    raw("}")
                }
                raw("],\"r\":")
                string(change.dot.replica.rawValue)
                raw(",\"t\":")
                uint(change.hlc.rawValue)
                raw("}")
            }
            raw("]")
        }
    }

    // MARK: - Reading

    /// A parsed JSON value. Objects keep their members in order; lookups are linear, which for
    /// the handful of keys these messages have beats hashing.
    enum Value {
        case null
        case bool(Bool)
        case number(negative: Bool, magnitude: UInt64)
        case fraction
        case string(String)
        case array([Value])
        case object(Object)

        func object(_ what: String) throws -> Object {
            guard case .object(let o) = self else { throw Malformed(description: "\(what) is not a JSON object") }
            return o
        }

        func array(_ what: String) throws -> [Value] {
            guard case .array(let a) = self else { throw Malformed(description: "\(what) is not a JSON array") }
            return a
        }

        func string(_ what: String) throws -> String {
            guard case .string(let s) = self else { throw Malformed(description: "\(what) is not a string") }
            return s
        }

        func bool(_ what: String) throws -> Bool {
            guard case .bool(let b) = self else { throw Malformed(description: "\(what) is not true or false") }
            return b
        }

        func uint(_ what: String) throws -> UInt64 {
            guard case .number(false, let magnitude) = self else { throw Malformed(description: "\(what) is not a whole number ≥ 0") }
            return magnitude
        }

        func int(_ what: String) throws -> Int64 {
            guard case .number(let negative, let magnitude) = self,
                  magnitude <= (negative ? UInt64(Int64.max) + 1 : UInt64(Int64.max)) else {
                throw Malformed(description: "\(what) is not a 64-bit whole number")
            }
            return negative ? Int64(truncatingIfNeeded: 0 &- magnitude) : Int64(magnitude)
        }
    }

    /// A message as read: its changes, or why they did not read, and its other members.
    struct Message {
        var changes: Result<[Change], any Error>?
        var object: Object

        /// The message's changes, or why they cannot be read.
        func readChanges() throws -> [Change] {
            guard let changes else { throw Malformed(description: "'changes' is missing") }
            return try changes.get()
        }
    }

    struct Object {
        var members: [(String, Value)]

        subscript(key: String) -> Value? {
            for (name, value) in members where name == key { return value }
            return nil
        }

        func member(_ key: String) throws -> Value {
            guard let value = self[key] else { throw Malformed(description: "'\(key)' is missing") }
            return value
        }

        func string(_ key: String) throws -> String { try member(key).string("'\(key)'") }
        func uint(_ key: String) throws -> UInt64 { try member(key).uint("'\(key)'") }
        func int(_ key: String) throws -> Int64 { try member(key).int("'\(key)'") }
        func bool(_ key: String) throws -> Bool { try member(key).bool("'\(key)'") }
    }

    /// A strict RFC 8259 parser over UTF-8 bytes, with a nesting limit.
    struct Reader {
        let bytes: UnsafeRawBufferPointer
        var index = 0
        static let maxDepth = 64

        /// A message: a top-level object whose `changes` array is read straight into changes
        /// (the bulk of every message, so no tree of values is built for it), and whose other
        /// members are read as values.
        ///
        /// Changes that do not read as this version's are kept as the error, and the document is
        /// still read to its end, so a caller can first see whether it is a newer version's.
        static func message(_ data: some ContiguousBytes) throws -> Message {
            try data.withUnsafeBytes { raw in
                var reader = Reader(bytes: raw)
                var changes: Result<[Change], any Error>?
                var members: [(String, Value)] = []
                try reader.members { reader, key in
                    guard key == "changes" else { return members.append((key, try reader.value(depth: 1))) }
                    let start = reader.index
                    do {
                        changes = .success(try reader.changes())
                    } catch {
                        reader.index = start
                        _ = try reader.value(depth: 1)
                        changes = .failure(error)
                    }
                }
                try reader.end()
                return Message(changes: changes, object: Object(members: members))
            }
        }

        /// A whole document that is one value.
        static func document(_ data: some ContiguousBytes) throws -> Value {
            try data.withUnsafeBytes { raw in
                var reader = Reader(bytes: raw)
                let value = try reader.value(depth: 0)
                try reader.end()
                return value
            }
        }

        /// Checks that nothing but white space follows what has been read.
        mutating func end() throws {
            skipSpace()
            guard index == bytes.count else { throw error("unexpected text after the document") }
        }

        /// Reads an object, handing each key to `member`, which must read its value.
        mutating func members(_ member: (inout Reader, String) throws -> Void) throws {
            try items(open: "{", close: "}", "object") { reader in
                let key = try reader.string()
                reader.skipSpace()
                try reader.expect(":")
                reader.skipSpace()
                try member(&reader, key)
            }
        }

        /// Reads an array, calling `element` to read each element.
        mutating func elements(_ element: (inout Reader) throws -> Void) throws {
            try items(open: "[", close: "]", "array", element)
        }

        /// Reads `open`, then items separated by commas, then `close`.
        private mutating func items(open: StaticString, close: StaticString, _ what: String,
                                    _ item: (inout Reader) throws -> Void) throws {
            skipSpace()
            try expect(open)
            skipSpace()
            if index < bytes.count, close.withUTF8Buffer({ bytes[index] == $0[0] }) { index += 1; return }
            while true {
                skipSpace()
                try item(&self)
                skipSpace()
                guard index < bytes.count else { throw error("unterminated \(what)") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                try expect(close)
                return
            }
        }

        mutating func changes() throws -> [Change] {
            var changes: [Change] = []
            // A message's changes mostly come from one replica: check its id once.
            var lastReplica: (text: String, id: ReplicaID)?
            try elements { reader in
                var type: EntityType?, id: String?, counter: UInt64?, hlc: UInt64?, replica: ReplicaID?, ops: [FieldOp]?
                try reader.members { reader, key in
                    switch key {
                    case "e":
                        guard let kind = EntityType(rawValue: try reader.string()) else {
                            throw Malformed(description: "a change's 'e' is not an entity type")
                        }
                        type = kind
                    case "i": id = try reader.string()
                    case "n": counter = try reader.value(depth: 3).uint("'n'")
                    case "t": hlc = try reader.value(depth: 3).uint("'t'")
                    case "r":
                        let text = try reader.string()
                        if let lastReplica, lastReplica.text == text {
                            replica = lastReplica.id
                        } else {
                            guard let parsed = ReplicaID(text) else { throw Malformed(description: "a change's 'r' is not a replica id") }
                            lastReplica = (text, parsed)
                            replica = parsed
                        }
                    case "o":
                        var list: [FieldOp] = []
                        try reader.elements { reader in list.append(try reader.op()) }
                        ops = list
                    default: _ = try reader.value(depth: 3)
                    }
                }
                guard let type else { throw Malformed(description: "a change's 'e' is missing") }
                guard let id else { throw Malformed(description: "a change's 'i' is missing") }
                guard let counter else { throw Malformed(description: "a change's 'n' is missing") }
                guard let hlc else { throw Malformed(description: "a change's 't' is missing") }
                guard let replica else { throw Malformed(description: "a change's 'r' is missing") }
                guard let ops else { throw Malformed(description: "a change's 'o' is missing") }
                changes.append(Change(dot: Dot(replica: replica, counter: counter), hlc: HLC(rawValue: hlc),
                                      entityType: type, entityID: id, ops: ops))
            }
            return changes
        }

        mutating func op() throws -> FieldOp {
            var field: String?, value: FieldValue?, context = VersionVector()
            try members { reader, key in
                switch key {
                case "f": field = try reader.string()
                case "v": value = try WireJSON.taggedValue(try reader.value(depth: 4))
                case "c": context = try WireJSON.vector(try reader.value(depth: 4))
                default: _ = try reader.value(depth: 4)
                }
            }
            guard let field else { throw Malformed(description: "an operation's 'f' is missing") }
            return FieldOp(field: field, value: value, context: context)
        }

        func error(_ what: String) -> Malformed {
            Malformed(description: "malformed JSON at byte \(index): \(what)")
        }

        mutating func skipSpace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x0A, 0x0D, 0x09: index += 1
                default: return
                }
            }
        }

        mutating func expect(_ literal: StaticString) throws {
            let ok = literal.withUTF8Buffer { expected in
                guard bytes.count - index >= expected.count else { return false }
                for (i, byte) in expected.enumerated() where bytes[index + i] != byte { return false }
                return true
            }
            guard ok else { throw error("expected \(literal)") }
            index += literal.utf8CodeUnitCount
        }

        mutating func value(depth: Int) throws -> Value {
            guard depth < Self.maxDepth else { throw error("nested too deeply") }
            skipSpace()
            guard index < bytes.count else { throw error("unexpected end") }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                var members: [(String, Value)] = []
                try self.members { reader, key in members.append((key, try reader.value(depth: depth + 1))) }
                return .object(Object(members: members))
            case UInt8(ascii: "["):
                var elements: [Value] = []
                try self.elements { reader in elements.append(try reader.value(depth: depth + 1)) }
                return .array(elements)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try expect("true"); return .bool(true)
            case UInt8(ascii: "f"): try expect("false"); return .bool(false)
            case UInt8(ascii: "n"): try expect("null"); return .null
            default: return try number()
            }
        }

        mutating func number() throws -> Value {
            let negative = bytes[index] == UInt8(ascii: "-")
            if negative { index += 1 }
            let start = index
            var magnitude: UInt64 = 0
            var overflow = false
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
                let (times, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times.addingReportingOverflow(UInt64(bytes[index] - 0x30))
                overflow = overflow || o1 || o2
                magnitude = sum
                index += 1
            }
            guard index > start else { throw error("expected a value") }
            guard !(bytes[start] == 0x30 && index - start > 1) else { throw error("a number has a leading zero") }
            var isFraction = false
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                isFraction = true
                index += 1
                let digits = index
                while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
                guard index > digits else { throw error("a fraction has no digits") }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                isFraction = true
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                let digits = index
                while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
                guard index > digits else { throw error("an exponent has no digits") }
            }
            if isFraction || overflow { return .fraction }
            return .number(negative: negative, magnitude: magnitude)
        }

        mutating func string() throws -> String {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a string") }
            index += 1
            let start = index
            // The common case: no escapes, so the bytes are the string.
            while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") {
                guard bytes[index] >= 0x20 else { throw error("a control character inside a string") }
                index += 1
            }
            guard index < bytes.count else { throw error("unterminated string") }
            if bytes[index] == UInt8(ascii: "\"") {
                index += 1
                guard let string = UTF8Text.string(UnsafeRawBufferPointer(rebasing: bytes[start..<index - 1])) else {
                    throw error("a string is not valid UTF-8")
                }
                return string
            }
            var scalars = [UInt8](UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
            while bytes[index] == UInt8(ascii: "\\") {
                index += 1
                guard index < bytes.count else { throw error("unterminated escape") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(escape)
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800...0xDBFF).contains(code) {
                        try expect("\\u")
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw error("an unpaired surrogate") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw error("an unpaired surrogate") }
                    scalars.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: throw error("an unknown escape")
                }
                while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") {
                    guard bytes[index] >= 0x20 else { throw error("a control character inside a string") }
                    scalars.append(bytes[index])
                    index += 1
                }
                guard index < bytes.count else { throw error("unterminated string") }
            }
            index += 1
            guard let string = String(validating: scalars, as: UTF8.self) else { throw error("a string is not valid UTF-8") }
            return string
        }

        mutating func hex4() throws -> UInt32 {
            guard bytes.count - index >= 4 else { throw error("a short \\u escape") }
            var code: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt8
                switch byte {
                case 0x30...0x39: digit = byte - 0x30
                case 0x61...0x66: digit = byte - 0x61 + 10
                case 0x41...0x46: digit = byte - 0x41 + 10
                default: throw error("a bad \\u escape")
                }
                code = code << 4 | UInt32(digit)
                index += 1
            }
            return code
        }
    }
}

/// A message with a hand-written JSON codec (``WireJSON``): senders and receivers use it in
/// place of `Codable` when a message has one.
public protocol WireMessage {
    func wireJSON() -> [UInt8]
    init(wireJSON bytes: [UInt8]) throws
}

extension ChangeBundle: WireMessage {
    public func wireJSON() -> [UInt8] { WireJSON.encode(self) }
    public init(wireJSON bytes: [UInt8]) throws { self = try WireJSON.decodeBundle(bytes) }
}

extension PullResponse: WireMessage {
    public func wireJSON() -> [UInt8] { WireJSON.encode(self) }
    public init(wireJSON bytes: [UInt8]) throws { self = try WireJSON.decodePullResponse(bytes) }
}

extension PushRequest: WireMessage {
    public func wireJSON() -> [UInt8] { WireJSON.encode(self) }
    public init(wireJSON bytes: [UInt8]) throws { self = try WireJSON.decodePushRequest(bytes) }
}

/// JSON for any message: ``WireJSON`` for those that have it, `Codable` for the rest.
public enum MessageCoding {
    public static func encode(_ value: some Encodable) throws -> Data {
        if let message = value as? any WireMessage { return Data(message.wireJSON()) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        if let wire = type as? any WireMessage.Type, let message = try wire.init(wireJSON: [UInt8](data)) as? T {
            return message
        }
        return try JSONDecoder().decode(type, from: data)
    }
}
