import Foundation
import GlossCore

/// Printing data: JSON for scripts, aligned tables and short lines for people.
enum Output {
    static func json(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        FileHandle.standardOutput.write(try encoder.encode(value) + Data("\n".utf8))
    }

    /// Columns padded to their widest cell; the last column is cut to fit the terminal. A row's
    /// `trailing` text (its tags, say) follows the last column whole: the last cell is cut instead.
    static func table(_ header: [String], _ rows: [[String]], trailing: [String]? = nil) {
        guard !rows.isEmpty else { return }
        var widths = header.dropLast().map { _ in 0 }
        for row in rows { for i in widths.indices { widths[i] = max(widths[i], width(row[i])) } }
        var table = Table(header, widths: widths)
        for (index, row) in rows.enumerated() { table.append(row, trailing: trailing?[index] ?? "") }
        table.finish()
    }

    /// A table built row by row into one buffer of bytes (800 KB for 10,000 articles) and written
    /// at once. Every column but the last has a width, at least its header's; a wider cell
    /// pushes the rest of its row right. The last column is cut to fit the terminal. `finish`
    /// writes it all, header first; call it only when a row was added.
    struct Table {
        private let widths: [Int]
        private let headerLength: Int
        /// The header line, then a line per row.
        private(set) var bytes: [UInt8] = []
        var isEmpty: Bool { bytes.count == headerLength }

        init(_ header: [String], widths: [Int]) {
            var widths = zip(header, widths).map { max($0.count, $1) }
            let fixed = widths.reduce(0) { $0 + $1 + 2 }
            widths.append(max(10, Terminal.width - fixed))
            var line: [UInt8] = []
            Self.write(header, trailing: "", widths: widths, into: &line)
            self.widths = widths
            bytes = Array(Terminal.bold(String(decoding: line, as: UTF8.self)).utf8) + [0x0a]
            headerLength = bytes.count
        }

        mutating func append(_ cells: [String], trailing: String = "") {
            Self.write(cells, trailing: trailing, widths: widths, into: &bytes)
            bytes.append(0x0a)
        }

        func finish() { FileHandle.standardOutput.write(Data(bytes)) }

        private static func write(_ cells: [String], trailing: String, widths: [Int], into bytes: inout [UInt8]) {
            for (i, cell) in cells.enumerated() {
                if i == cells.count - 1 {
                    // The trailing text whole, the cell cut to the room left (when any is worth it).
                    let room = widths[i] - width(trailing)
                    let last = room >= 4 ? truncate(cell, room) + trailing
                        : truncate(trailing.drop { $0 == " " } + "", widths[i])
                    bytes.append(contentsOf: last.utf8)
                } else {
                    bytes.append(contentsOf: cell.utf8)
                    bytes.append(contentsOf: repeatElement(0x20, count: max(0, widths[i] - width(cell)) + 2))
                }
            }
        }
    }

    /// Tags as Gloss prints them: "#one #two", or nothing.
    static func tags(_ tags: [String]) -> String {
        tags.map { "#" + $0 }.joined(separator: " ")
    }

    /// An item's tags as a listing shows them after its text: "  #one #two", or nothing.
    static func tagsAfter(_ tags: [String]) -> String {
        tags.isEmpty ? "" : "  " + Output.tags(tags)
    }

    /// Characters in a cell; printable ASCII, the usual case, without walking graphemes.
    static func width(_ cell: String) -> Int {
        isPrintableASCII(cell) ? cell.utf8.count : cell.count
    }

    static func truncate(_ text: String, _ width: Int) -> String {
        if isPrintableASCII(text) {
            return text.utf8.count <= width ? text : String(decoding: text.utf8.prefix(max(1, width - 1)), as: UTF8.self) + "…"
        }
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count <= width ? flat : String(flat.prefix(max(1, width - 1))) + "…"
    }

    /// Whether every byte is printable ASCII, so bytes count as characters.
    private static func isPrintableASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7f }
    }

    /// A date an article states (a day, or an ISO 8601 time) in the style of `date(milliseconds:)`:
    /// "yyyy-MM-dd", or "yyyy-MM-dd HH:mm" in UTC when it has a time. Other text is kept as it is.
    static func date(text: String) -> String {
        let value = text.trimmingCharacters(in: .whitespaces)
        guard value.utf8.count > 16, let separator = value.dropFirst(10).first, separator == "T" || separator == " " else { return value }
        let formatter = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds]] {
            formatter.formatOptions = options
            if let date = formatter.date(from: value.replacingOccurrences(of: " ", with: "T")) {
                return Output.date(milliseconds: Int64((date.timeIntervalSince1970 * 1000).rounded(.down)))
            }
        }
        // A local time without a zone: its day and minute as written.
        return String(value.prefix(10)) + " " + value.dropFirst(11).prefix(5)
    }

    /// "yyyy-MM-dd HH:mm" in UTC, by arithmetic (Foundation's formatter cost most of a long listing).
    static func date(milliseconds: Int64) -> String {
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let minutes = (seconds - days * 86_400) / 60
        // Civil date from days since 1970-01-01 (Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        guard (0...9999).contains(year) else {
            func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : String(n) }
            return "\(year)-\(two(month))-\(two(day)) \(two(minutes / 60)):\(two(minutes % 60))"
        }
        // Written digit by digit: a long listing formats one date a row.
        return String(unsafeUninitializedCapacity: 16) { bytes in
            var index = 0
            func put(_ value: Int64, digits: Int) {
                var divisor: Int64 = 1
                for _ in 1..<digits { divisor *= 10 }
                while divisor > 0 {
                    bytes[index] = UInt8(ascii: "0") + UInt8(value / divisor % 10)
                    index += 1
                    divisor /= 10
                }
            }
            func mark(_ character: Unicode.Scalar) {
                bytes[index] = UInt8(ascii: character)
                index += 1
            }
            put(year, digits: 4); mark("-"); put(month, digits: 2); mark("-"); put(day, digits: 2)
            mark(" "); put(minutes / 60, digits: 2); mark(":"); put(minutes % 60, digits: 2)
            return index
        }
    }
}
