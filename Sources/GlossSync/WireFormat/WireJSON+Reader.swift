import Foundation
import GlossCore

extension WireJSON {
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

        /// A replica's counter: a whole number from 0 to `Dot.maxCounter` (2^63-1).
        func counter(_ what: String) throws -> UInt64 {
            let value = try uint(what)
            guard value <= Dot.maxCounter else {
                throw Malformed(description: "\(what) is \(value), above 2^63-1, the largest counter there is")
            }
            return value
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
        var changes: Result<ChangeList, any Error>?
        var object: Object

        /// The message's changes, or why they cannot be read: plain ones only (a bundle's).
        func readChanges() throws -> [Change] {
            let list = try readChangeList()
            guard list.sealed.isEmpty else { throw Malformed(description: "'changes' holds sealed changes, which this message never carries") }
            return list.plain
        }

        /// The message's changes, plain and sealed, or why they cannot be read.
        func readChangeList() throws -> ChangeList {
            guard let changes else { throw Malformed(description: "'changes' is missing") }
            return try changes.get()
        }
    }

    /// A `changes` array as read: its plain changes and its sealed ones, each in the order sent.
    struct ChangeList {
        var plain: [Change] = []
        var sealed: [SealedChange] = []
    }

    /// One element of a `changes` array.
    enum Element {
        case plain(Change)
        case sealed(SealedChange)
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
        func counter(_ key: String) throws -> UInt64 { try member(key).counter("'\(key)'") }
        func bool(_ key: String) throws -> Bool { try member(key).bool("'\(key)'") }
    }

    /// A strict RFC 8259 parser over UTF-8 bytes, with limits on what one document may hold
    /// (``WireLimits``), so a small compressed body cannot make it build gigabytes: each limit is
    /// checked as the document is read, and the first one passed stops it with an error that
    /// names it.
    struct Reader {
        let bytes: UnsafeRawBufferPointer
        var index = 0
        /// Array elements and object members read so far, at every depth.
        private var items = 0

        static let maxDepth = WireLimits.maxDepth
        static let maxItems = WireLimits.maxItems
        static let maxStringBytes = WireLimits.maxStringBytes

        /// A message: a top-level object whose `changes` array is read straight into changes
        /// (the bulk of every message, so no tree of values is built for it), and whose other
        /// members are read as values.
        ///
        /// Changes that do not read as this version's are kept as the error, and the document is
        /// still read to its end, so a caller can first see whether it is a newer version's.
        static func message(_ data: some ContiguousBytes) throws -> Message {
            try data.withUnsafeBytes { raw in
                var reader = Reader(bytes: raw)
                var changes: Result<ChangeList, any Error>?
                var members: [(String, Value)] = []
                try reader.members { reader, key in
                    guard key == "changes" else {
                        guard messageKeys.contains(key) else { return try reader.skip(depth: 1) }
                        return members.append((key, try reader.value(depth: 1)))
                    }
                    let (start, items) = (reader.index, reader.items)
                    do {
                        changes = .success(try reader.changes())
                    } catch {
                        (reader.index, reader.items) = (start, items)
                        try reader.skip(depth: 1)
                        changes = .failure(error)
                    }
                }
                try reader.end()
                return Message(changes: changes, object: Object(members: members))
            }
        }

        /// The members besides `changes` that some message reads; any other is checked and
        /// skipped, not kept.
        static let messageKeys: Set<String> = ["covers", "created", "format", "names", "replica", "version", "more", "next", "key", "sealed"]

        /// A whole document that is one value.
        static func document(_ data: some ContiguousBytes) throws -> Value {
            try data.withUnsafeBytes { raw in
                var reader = Reader(bytes: raw)
                let value = try reader.value(depth: 0)
                try reader.end()
                return value
            }
        }

        /// A document that is one element of a `changes` array.
        static func element(_ data: some ContiguousBytes) throws -> Element {
            try data.withUnsafeBytes { raw in
                var reader = Reader(bytes: raw)
                var last: (text: String, id: ReplicaID)?
                reader.skipSpace()
                let element = try reader.element(lastReplica: &last)
                try reader.end()
                return element
            }
        }

        /// Checks that `data` is one JSON document within the limits, keeping nothing of it.
        static func check(_ data: some ContiguousBytes) throws {
            try data.withUnsafeBytes { raw in
                var reader = Reader(bytes: raw)
                try reader.skip(depth: 0)
                try reader.end()
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
                items += 1
                guard items <= Self.maxItems else {
                    throw limit("more than \(Self.maxItems) array elements and object members, the most a document may hold")
                }
                skipSpace()
                try item(&self)
                skipSpace()
                guard index < bytes.count else { throw error("unterminated \(what)") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                try expect(close)
                return
            }
        }

        mutating func changes() throws -> ChangeList {
            var list = ChangeList()
            // A message's changes mostly come from one replica: check its id once.
            var lastReplica: (text: String, id: ReplicaID)?
            try elements { reader in
                switch try reader.element(lastReplica: &lastReplica) {
                case .plain(let change): list.plain.append(change)
                case .sealed(let change): list.sealed.append(change)
                }
            }
            return list
        }

        /// One change's object: a plain change (e, i, n, t, r, o) or a sealed one (k, n, r, s).
        mutating func element(lastReplica: inout (text: String, id: ReplicaID)?) throws -> Element {
            var type: EntityType?, id: String?, counter: UInt64?, hlc: UInt64?, replica: ReplicaID?, ops: [FieldOp]?
            var key: String?, box: String?, signature: BatchSignature?
            try members { reader, member in
                switch member {
                case "e":
                    guard let kind = EntityType(rawValue: try reader.string()) else {
                        throw Malformed(description: "a change's 'e' is not an entity type")
                    }
                    type = kind
                case "i": id = try reader.string()
                case "n": counter = try reader.value(depth: 3).counter("a change's 'n'")
                case "t": hlc = try reader.value(depth: 3).uint("a change's 't'")
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
                case "g": signature = try WireJSON.batchSignature(try reader.value(depth: 3))
                case "k": key = try reader.string()
                case "s": box = try reader.string()
                default: throw Malformed(description: "a change has a member '\(member.prefix(40))' it does not take (only e, g, i, n, t, r, o; or k, n, r, s sealed)")
                }
            }
            if key != nil || box != nil {
                guard let counter else { throw Malformed(description: "a change's 'n' is missing") }
                guard let replica else { throw Malformed(description: "a change's 'r' is missing") }
                guard type == nil, id == nil, hlc == nil, ops == nil, signature == nil else {
                    throw Malformed(description: "a sealed change has members of a plain one (only k, n, r, s)")
                }
                guard let key, PublishedKeys.isKeyID(key) else {
                    throw Malformed(description: "a sealed change's 'k' is not a key id (16 hex digits)")
                }
                guard let box, let data = Data(base64Encoded: box), data.count >= Seal.overhead else {
                    throw Malformed(description: "a sealed change's 's' is not a sealed box in base64")
                }
                return .sealed(SealedChange(key: key, replica: replica, counter: counter, box: data))
            }
            guard let type else { throw Malformed(description: "a change's 'e' is missing") }
            guard let id else { throw Malformed(description: "a change's 'i' is missing") }
            guard let counter else { throw Malformed(description: "a change's 'n' is missing") }
            guard let hlc else { throw Malformed(description: "a change's 't' is missing") }
            guard let replica else { throw Malformed(description: "a change's 'r' is missing") }
            guard let ops else { throw Malformed(description: "a change's 'o' is missing") }
            return .plain(Change(dot: Dot(replica: replica, counter: counter), hlc: HLC(rawValue: hlc),
                                 entityType: type, entityID: id, ops: ops, signature: signature))
        }

        mutating func op() throws -> FieldOp {
            var field: String?, value: FieldValue?, context = VersionVector()
            try members { reader, key in
                switch key {
                case "f": field = try reader.string()
                case "v": value = try WireJSON.taggedValue(try reader.value(depth: 4))
                case "c": context = try WireJSON.vector(try reader.value(depth: 4), "an operation's 'c'")
                default: throw Malformed(description: "an operation has a member '\(key.prefix(40))' it does not take (only f, v, c)")
                }
            }
            guard let field else { throw Malformed(description: "an operation's 'f' is missing") }
            return FieldOp(field: field, value: value, context: context)
        }

        func error(_ what: String) -> Malformed {
            Malformed(description: "malformed JSON at byte \(index): \(what)")
        }

        /// A limit of ``WireLimits`` passed at this point.
        func limit(_ what: String) -> Malformed {
            Malformed(description: "JSON past a limit at byte \(index): \(what)", isPastLimit: true)
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
            guard depth < Self.maxDepth else { throw limit("nested more than \(Self.maxDepth) deep, the most a document may be") }
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

        /// Reads a value as strictly as `value(depth:)` does, keeping nothing of it.
        mutating func skip(depth: Int) throws {
            guard depth < Self.maxDepth else { throw limit("nested more than \(Self.maxDepth) deep, the most a document may be") }
            skipSpace()
            guard index < bytes.count else { throw error("unexpected end") }
            switch bytes[index] {
            case UInt8(ascii: "{"): try members { reader, _ in try reader.skip(depth: depth + 1) }
            case UInt8(ascii: "["): try elements { reader in try reader.skip(depth: depth + 1) }
            case UInt8(ascii: "\""): _ = try string()
            case UInt8(ascii: "t"): try expect("true")
            case UInt8(ascii: "f"): try expect("false")
            case UInt8(ascii: "n"): try expect("null")
            default: _ = try number()
            }
        }

        /// A number. One with a fraction or an exponent that is still a whole number
        /// (`38981193.0`, `1e3`) reads as that whole number, as JSON Schema's `integer` has it;
        /// any other, or a whole number past 64 bits, is `.fraction`.
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
            // The common case: a plain whole number.
            if index == bytes.count || !(bytes[index] == UInt8(ascii: ".") || bytes[index] | 0x20 == UInt8(ascii: "e")) {
                return overflow ? .fraction : .number(negative: negative, magnitude: magnitude)
            }
            var digits = Array(bytes[start..<index])
            var scale = 0
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                let fraction = index
                while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
                guard index > fraction else { throw error("a fraction has no digits") }
                digits += bytes[fraction..<index]
                scale = fraction - index
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                var sign = 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                    if bytes[index] == UInt8(ascii: "-") { sign = -1 }
                    index += 1
                }
                let exponentStart = index
                var exponent = 0
                while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
                    // Past 10^6 every non-zero number is out of range anyway.
                    exponent = min(exponent * 10 + Int(bytes[index] - 0x30), 1_000_000)
                    index += 1
                }
                guard index > exponentStart else { throw error("an exponent has no digits") }
                scale += sign * exponent
            }
            guard let whole = Self.wholeNumber(digits: &digits, scale: scale) else { return .fraction }
            return .number(negative: negative, magnitude: whole)
        }

        /// The whole number `digits` × 10^`scale` is, or nil when it has a fraction or needs more
        /// than 64 bits.
        private static func wholeNumber(digits: inout [UInt8], scale: Int) -> UInt64? {
            var scale = scale
            while scale < 0, digits.last == 0x30 {
                digits.removeLast()
                scale += 1
            }
            guard let first = digits.firstIndex(where: { $0 != 0x30 }) else { return 0 }
            guard scale >= 0, scale <= 20 else { return nil }
            var magnitude: UInt64 = 0
            for digit in digits[first...] {
                let (times, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times.addingReportingOverflow(UInt64(digit - 0x30))
                guard !o1, !o2 else { return nil }
                magnitude = sum
            }
            for _ in 0..<scale {
                let (times, overflow) = magnitude.multipliedReportingOverflow(by: 10)
                guard !overflow else { return nil }
                magnitude = times
            }
            return magnitude
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
            guard index - start <= Self.maxStringBytes else { throw stringTooLong() }
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
                let run = index
                while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") {
                    guard bytes[index] >= 0x20 else { throw error("a control character inside a string") }
                    index += 1
                }
                guard index < bytes.count else { throw error("unterminated string") }
                guard scalars.count + (index - run) <= Self.maxStringBytes else { throw stringTooLong() }
                scalars.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[run..<index]))
            }
            index += 1
            guard let string = String(validating: scalars, as: UTF8.self) else { throw error("a string is not valid UTF-8") }
            return string
        }

        private func stringTooLong() -> Malformed {
            limit("a string longer than \(Self.maxStringBytes >> 20) MiB, the longest a document may hold")
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
