/// The compact binary form in which the store keeps a change's operations (`change.ops`) and an
/// entity's registers (`entity_state.registers`).
///
/// JSON cost most of a change's time to write and read (Foundation's coders build a tree of boxes
/// per value), so these columns hold this instead: a format byte, then LEB128 varints, strings as
/// length and UTF-8, replica ids as their 16 bytes, and maps in key order, so equal values encode
/// to equal bytes. Stores written before it hold JSON text there; ``decodeOps(_:)`` and
/// ``decodeRegisters(_:)`` read both. The wire format stays JSON (Schema/WireFormat).
enum BinaryCoding {
    /// The first byte of every encoding: not `[` or `{`, which open the JSON of older stores.
    static let format: UInt8 = 0x01

    struct Malformed: Error, CustomStringConvertible {
        var description: String { "a stored value is truncated or malformed" }
    }

    // MARK: - Entry points

    static func encode(_ ops: [FieldOp]) -> [UInt8] {
        var writer = Writer()
        writer.byte(format)
        writer.varint(UInt64(ops.count))
        for op in ops { writer.op(op) }
        return writer.bytes
    }

    /// `change` as bytes that equal changes share and unequal ones do not (its signature left
    /// out): what a batch signature hashes (``BatchSignature``).
    static func canonical(_ change: Change) -> [UInt8] {
        var writer = Writer()
        writer.byte(format)
        writer.dot(change.dot)
        writer.varint(change.hlc.rawValue)
        writer.string(change.entityType.rawValue)
        writer.string(change.entityID)
        writer.varint(UInt64(change.ops.count))
        for op in change.ops { writer.op(op) }
        return writer.bytes
    }

    static func encode(_ registers: [String: Register]) -> [UInt8] {
        var writer = Writer()
        writer.byte(format)
        writer.varint(UInt64(registers.count))
        for (field, register) in registers.sorted(by: { $0.key < $1.key }) {
            writer.string(field)
            writer.varint(UInt64(register.values.count))
            for value in register.values {
                writer.value(value.value)
                writer.dot(value.dot)
                writer.varint(value.hlc.rawValue)
                writer.vector(value.context)
            }
            writer.vector(register.overwritten)
        }
        return writer.bytes
    }

    static func decodeOps(_ stored: DatabaseBytes) throws -> [FieldOp] {
        guard stored.bytes.first == format else { return try Coding.decode([FieldOp].self, from: stored.text) }
        return try stored.bytes.withUnsafeBytes { raw in
            var reader = Reader(raw, at: 1)
            let count = try reader.count()
            var ops: [FieldOp] = []
            ops.reserveCapacity(count)
            for _ in 0..<count { ops.append(try reader.op()) }
            try reader.end()
            return ops
        }
    }

    static func decodeRegisters(_ stored: DatabaseBytes) throws -> [String: Register] {
        guard stored.bytes.first == format else { return try Coding.decode([String: Register].self, from: stored.text) }
        return try stored.bytes.withUnsafeBytes { raw in
            var reader = Reader(raw, at: 1)
            let count = try reader.count()
            var registers: [String: Register] = [:]
            registers.reserveCapacity(count)
            for _ in 0..<count {
                let field = try reader.string()
                let valueCount = try reader.count()
                var values: [RegisterValue] = []
                values.reserveCapacity(valueCount)
                for _ in 0..<valueCount {
                    values.append(RegisterValue(value: try reader.value(), dot: try reader.dot(),
                                                hlc: HLC(rawValue: try reader.varint()), context: try reader.vector()))
                }
                registers[field] = Register(values: values, overwritten: try reader.vector())
            }
            try reader.end()
            return registers
        }
    }

    // MARK: - Writing

    struct Writer {
        var bytes: [UInt8] = []
        /// The last replica id packed, and its bytes: a state's values mostly share one replica.
        private var lastReplica: (id: String, packed: [UInt8])?

        init() { bytes.reserveCapacity(256) }

        mutating func byte(_ value: UInt8) { bytes.append(value) }

        mutating func varint(_ value: UInt64) {
            var rest = value
            while rest >= 0x80 {
                bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
                rest >>= 7
            }
            bytes.append(UInt8(rest))
        }

        mutating func string(_ value: String) {
            var value = value
            value.withUTF8 { utf8 in
                varint(UInt64(utf8.count))
                bytes.append(contentsOf: utf8)
            }
        }

        mutating func replica(_ id: ReplicaID) {
            // A ReplicaID is 32 lowercase hex digits (its initializer checks): pack two per byte.
            if let lastReplica, lastReplica.id == id.rawValue { return bytes.append(contentsOf: lastReplica.packed) }
            var raw = id.rawValue
            var packed: [UInt8] = []
            packed.reserveCapacity(16)
            raw.withUTF8 { hex in
                var at = 0
                while at + 1 < hex.count {
                    let high = hex[at] <= 0x39 ? hex[at] &- 0x30 : hex[at] &- 0x61 &+ 10
                    let low = hex[at + 1] <= 0x39 ? hex[at + 1] &- 0x30 : hex[at + 1] &- 0x61 &+ 10
                    packed.append(high << 4 | low)
                    at += 2
                }
            }
            bytes.append(contentsOf: packed)
            lastReplica = (id.rawValue, packed)
        }

        mutating func dot(_ dot: Dot) {
            replica(dot.replica)
            varint(dot.counter)
        }

        mutating func vector(_ vector: VersionVector) {
            varint(UInt64(vector.entries.count))
            for (replica, counter) in vector.entries.sorted(by: { $0.key < $1.key }) {
                self.replica(replica)
                varint(counter)
            }
        }

        mutating func value(_ value: FieldValue) {
            switch value {
            case .null: byte(0)
            case .bool(let b): byte(b ? 2 : 1)
            case .int(let i):
                byte(3)
                varint(UInt64(bitPattern: (i << 1) ^ (i >> 63)))
            case .string(let s):
                byte(4)
                string(s)
            case .object(let o):
                byte(5)
                varint(UInt64(o.count))
                for (key, member) in o.sorted(by: { $0.key < $1.key }) {
                    string(key)
                    self.value(member)
                }
            }
        }

        mutating func op(_ op: FieldOp) {
            string(op.field)
            if let value = op.value {
                byte(1)
                self.value(value)
            } else {
                byte(0)
            }
            vector(op.context)
        }
    }

    // MARK: - Reading

    struct Reader {
        let raw: UnsafeRawBufferPointer
        var index: Int

        init(_ raw: UnsafeRawBufferPointer, at index: Int) {
            self.raw = raw
            self.index = index
        }

        mutating func byte() throws -> UInt8 {
            guard index < raw.count else { throw Malformed() }
            defer { index += 1 }
            return raw[index]
        }

        mutating func varint() throws -> UInt64 {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let next = try byte()
                guard shift < 64 else { throw Malformed() }
                result |= UInt64(next & 0x7f) << shift
                if next < 0x80 { return result }
                shift += 7
            }
        }

        /// A count of things that follow, each at least a byte long: never more than what is left.
        mutating func count() throws -> Int {
            let count = try varint()
            guard count <= UInt64(raw.count - index) else { throw Malformed() }
            return Int(count)
        }

        mutating func string() throws -> String {
            let length = try count()
            defer { index += length }
            guard let string = UTF8Text.string(UnsafeRawBufferPointer(rebasing: raw[index..<index + length])) else {
                throw Malformed()
            }
            return string
        }

        mutating func replica() throws -> ReplicaID {
            guard raw.count - index >= 16 else { throw Malformed() }
            defer { index += 16 }
            return ReplicaID(packed: UnsafeRawBufferPointer(rebasing: raw[index..<index + 16]))
        }

        mutating func dot() throws -> Dot {
            Dot(replica: try replica(), counter: try varint())
        }

        mutating func vector() throws -> VersionVector {
            let count = try count()
            var entries: [ReplicaID: UInt64] = [:]
            entries.reserveCapacity(count)
            for _ in 0..<count { entries[try replica()] = try varint() }
            return VersionVector(entries)
        }

        mutating func value(depth: Int = 0) throws -> FieldValue {
            switch try byte() {
            case 0: return .null
            case 1: return .bool(false)
            case 2: return .bool(true)
            case 3:
                let zigzag = try varint()
                return .int(Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1))
            case 4: return .string(try string())
            case 5 where depth < 32:
                let count = try count()
                var object: [String: FieldValue] = [:]
                object.reserveCapacity(count)
                for _ in 0..<count { object[try string()] = try value(depth: depth + 1) }
                return .object(object)
            default: throw Malformed()
            }
        }

        mutating func op() throws -> FieldOp {
            let field = try string()
            let value: FieldValue? = try byte() == 0 ? nil : try self.value()
            return FieldOp(field: field, value: value, context: try vector())
        }

        func end() throws {
            guard index == raw.count else { throw Malformed() }
        }
    }
}

/// A stored column's bytes: a BLOB (the binary form) or TEXT (JSON from an older store).
struct DatabaseBytes {
    var bytes: [UInt8]
    var text: String { String(decoding: bytes, as: UTF8.self) }
}

extension ReplicaID {
    /// From the 16 bytes ``BinaryCoding`` packs it into.
    init(packed: UnsafeRawBufferPointer) {
        self.init(validated: Hex.encode(packed))
    }
}

/// Strings from bytes that must be valid UTF-8, fast for the usual all-ASCII case (the standard
/// library's validating initializer takes a generic, slower path).
public enum UTF8Text {
    public static func string(_ bytes: UnsafeRawBufferPointer) -> String? {
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        return String(validating: bytes, as: UTF8.self)
    }
}
