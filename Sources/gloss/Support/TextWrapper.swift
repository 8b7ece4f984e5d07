import Foundation

/// Greedy word wrapping over styled text. A cell is one character with the text that comes
/// before it (ANSI codes, which take no room, or visible markers, which do). Newlines are kept.
enum TextWrapper {
    struct Cell {
        var character: Character
        var prefix = ""
    }

    static func wrap(_ text: String, width: Int, indent: String = "") -> String {
        wrap(cells: text.map { Cell(character: $0) }, width: width, indent: indent, reset: "")
    }

    /// Columns `text` takes on screen: its characters less ANSI escape sequences.
    static func visibleWidth(_ text: String) -> Int {
        var width = 0
        var inEscape = false
        for character in text {
            if inEscape { if character == "m" { inEscape = false } }
            else if character == "\u{1b}" { inEscape = true }
            else { width += 1 }
        }
        return width
    }

    /// Wraps cells to `width` columns. With a `reset` code, a line ends by resetting the style in
    /// force and the next line opens it again, so colour never bleeds into the margin.
    static func wrap(cells: [Cell], width: Int, indent: String, reset: String) -> String {
        var lines: [String] = []
        var line = ""
        var lineWidth = 0
        var activeStyle = ""
        let limit = max(10, width - indent.count)

        func emit(_ prefix: String) {
            guard !prefix.isEmpty else { return }
            line += prefix
            lineWidth += visibleWidth(prefix)
            if !reset.isEmpty {
                let combined = activeStyle + prefix
                activeStyle = combined.range(of: reset, options: .backwards).map { String(combined[$0.upperBound...]) } ?? combined
            }
        }
        func flush() {
            while line.hasSuffix(" ") { line.removeLast() }
            lines.append(indent + line + (activeStyle.isEmpty ? "" : reset))
            line = activeStyle
            lineWidth = 0
        }

        var i = 0
        while i < cells.count {
            let cell = cells[i]
            if cell.character == "\n" || cell.character == " " {
                emit(cell.prefix)
                if cell.character == "\n" { flush() } else if lineWidth > 0 { line.append(" "); lineWidth += 1 }
                i += 1
                continue
            }
            var j = i
            var wordWidth = 0
            while j < cells.count, cells[j].character != " ", cells[j].character != "\n" {
                wordWidth += 1 + visibleWidth(cells[j].prefix)
                j += 1
            }
            if lineWidth > 0 && lineWidth + wordWidth > limit + (line.hasSuffix(" ") ? 1 : 0) { flush() }
            for cell in cells[i..<j] {
                if lineWidth >= limit { flush() }
                emit(cell.prefix)
                line.append(cell.character)
                lineWidth += 1
            }
            i = j
        }
        if !line.isEmpty || lines.isEmpty { flush() }
        return lines.joined(separator: "\n")
    }
}
