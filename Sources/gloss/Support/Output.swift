import Foundation
import GlossCore

/// Printing data: JSON for scripts, aligned tables and short lines for people.
enum Output {
    static func json(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        FileHandle.standardOutput.write(try encoder.encode(value) + Data("\n".utf8))
    }

    /// Columns padded to their widest cell; the last column is cut to fit the terminal.
    static func table(_ header: [String], _ rows: [[String]]) {
        guard !rows.isEmpty else { return }
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        let fixed = widths.dropLast().reduce(0) { $0 + $1 + 2 }
        widths[widths.count - 1] = max(10, min(widths[widths.count - 1], Terminal.width - fixed))
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                i == cells.count - 1 ? truncate(cell, widths[i]) : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        print(Terminal.bold(line(header)))
        for row in rows { print(line(row)) }
    }

    static func truncate(_ text: String, _ width: Int) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count <= width ? flat : String(flat.prefix(max(1, width - 1))) + "…"
    }

    /// Ids as people type them: the first 8 characters.
    static func short(_ id: String) -> String { String(id.prefix(8)) }

    static func date(milliseconds: Int64) -> String {
        date(Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }

    static func date(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false).timeSeparator(.colon))
            .replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: "")
            .prefix(16).description
    }
}
