import Foundation
import GlossCore

extension WireJSON {
    /// Writes the wire JSON of messages into bytes: keys in sorted order, no white space, strings
    /// escaped as RFC 8259 requires.
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

        /// A message's `changes` array: the plain changes, then the sealed ones.
        mutating func changes(_ changes: [Change], sealed: [SealedChange] = []) {
            raw("[")
            for (i, change) in changes.enumerated() {
                if i > 0 { raw(",") }
                self.change(change)
            }
            for (i, change) in sealed.enumerated() {
                if i > 0 || !changes.isEmpty { raw(",") }
                self.sealed(change)
            }
            raw("]")
        }
    }
}

extension WireJSON.Writer {
    /// One change's object.
    mutating func change(_ change: Change) {
        raw("{\"e\":")
        string(change.entityType.rawValue)
        if let signature = change.signature {
            raw(",\"g\":{\"a\":")
            uint(signature.first)
            raw(",\"k\":\"")
            bytes += Data(signature.key).base64EncodedData()
            raw("\",\"s\":\"")
            bytes += Data(signature.signature).base64EncodedData()
            raw("\"}")
        }
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

    /// One sealed change's object (``SealedChange``).
    mutating func sealed(_ change: SealedChange) {
        raw("{\"k\":")
        string(change.key)
        raw(",\"n\":")
        uint(change.counter)
        raw(",\"r\":")
        string(change.replica.rawValue)
        raw(",\"s\":\"")
        bytes += change.box.base64EncodedData()
        raw("\"}")
    }
}
