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

    /// Columns `text` takes on screen: its characters' columns, ANSI escape sequences taking none.
    static func visibleWidth(_ text: String) -> Int {
        var width = 0
        var inEscape = false
        for character in text {
            if inEscape { if character == "m" { inEscape = false } }
            else if character == "\u{1b}" { inEscape = true }
            else { width += columns(character) }
        }
        return width
    }

    /// Columns a character (one grapheme cluster) takes on a terminal: two for East Asian wide
    /// and full-width characters and for emoji shown as pictures, else one.
    static func columns(_ character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first, scalar.value >= 0x1100 else { return 1 }
        if scalar.properties.isEmojiPresentation { return 2 }
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x1F1E6...0x1F1FF, 0x20000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }

    /// Wraps cells to `width` columns (a character, one grapheme cluster, takes `columns` of
    /// them: one, or two for wide ones). A word goes
    /// whole onto the next line when it does not fit, so only a word wider than a line is cut.
    /// The prefix of the white space after a word (a highlight's closing marker, say) stays with
    /// the word and counts in its width. Spaces between words and at the start of a line of the
    /// text (a code block's indentation) are kept, a tab as one space; where a line is broken the
    /// spaces go. With a `reset` code, a line
    /// ends by resetting the style in force and the next line opens it again, so colour never
    /// bleeds into the margin.
    static func wrap(cells: [Cell], width: Int, indent: String, reset: String) -> String {
        var lines: [String] = []
        var line = ""
        var lineWidth = 0
        // Spaces to print before the next word, and whether the line began a line of the text.
        var spaces = 0
        var startsTextLine = true
        var activeStyle = ""
        let limit = max(10, width - visibleWidth(indent))

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
            lines.append(indent + line + (activeStyle.isEmpty ? "" : reset))
            line = activeStyle
            lineWidth = 0
            spaces = 0
            startsTextLine = false
        }

        var i = 0
        while i < cells.count {
            let cell = cells[i]
            if cell.character.isNewline {
                emit(cell.prefix)
                flush()
                startsTextLine = true
                i += 1
                continue
            }
            if cell.character.isWhitespace {
                emit(cell.prefix)
                if lineWidth > 0 || startsTextLine { spaces += 1 }
                i += 1
                continue
            }
            var end = i
            var wordWidth = 0
            while end < cells.count, !cells[end].character.isWhitespace {
                wordWidth += columns(cells[end].character) + visibleWidth(cells[end].prefix)
                end += 1
            }
            let trailing = end < cells.count ? visibleWidth(cells[end].prefix) : 0
            if lineWidth > 0 && lineWidth + spaces + wordWidth + trailing > limit { flush() }
            // Indentation wider than the room left shrinks rather than breaking the line.
            if lineWidth == 0 { spaces = max(0, min(spaces, limit - wordWidth - trailing)) }
            line.append(String(repeating: " ", count: spaces))
            lineWidth += spaces
            spaces = 0
            startsTextLine = false
            for cell in cells[i..<end] {
                // Only a word wider than a whole line gets here with the line full.
                let width = columns(cell.character)
                if lineWidth > 0 && lineWidth + width + visibleWidth(cell.prefix) > limit { flush() }
                emit(cell.prefix)
                line.append(cell.character)
                lineWidth += width
            }
            i = end
        }
        if lineWidth > 0 || lines.isEmpty { flush() }
        return lines.joined(separator: "\n")
    }
}
