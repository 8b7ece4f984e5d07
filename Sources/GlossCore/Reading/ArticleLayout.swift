/// An article's stored text cut into the blocks a reader shows: headings, paragraphs, list
/// items, quotes and code, each a list of lines. The stored text is Markdown-like (what the
/// extractors write: `## Heading`, `- item` or `1. item` indented when nested, `> quote`, fenced
/// code, blank lines between blocks). Markers are not part of any line, so a reader cannot select
/// them into a highlight, and every line says where its text starts in the stored text, in
/// Unicode scalars (as W3C `TextPositionSelector` counts): a line's text is exactly the stored
/// text from `start` for as many scalars as it holds. A reader maps a selection back to stored
/// offsets from that alone.
public struct ArticleLayout: Hashable, Sendable, Codable {
    public enum BlockType: String, Hashable, Sendable, Codable {
        case heading, paragraph, item, quote, code
    }

    /// One line of a block: its text and where it starts in the stored text.
    public struct Line: Hashable, Sendable, Codable {
        public var start: Int
        public var text: String
    }

    public struct Block: Hashable, Sendable, Codable {
        public var type: BlockType
        /// 1…6 for a heading.
        public var level: Int?
        /// `-` or `1.` (as written) for a list item.
        public var marker: String?
        /// How deeply a list item is nested (0 at the top).
        public var depth: Int?
        public var lines: [Line]
    }

    public var blocks: [Block]

    /// Lays out `text`.
    public init(text: String) {
        var builder = Builder()
        var line: [Unicode.Scalar] = []
        var lineStart = 0
        var offset = 0
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                builder.take(line, start: lineStart)
                line.removeAll(keepingCapacity: true)
                lineStart = offset + 1
            } else {
                line.append(scalar)
            }
            offset += 1
        }
        builder.take(line, start: lineStart)
        builder.finishBlock()
        blocks = builder.blocks
    }

    /// Reads the stored text line by line and groups lines into blocks.
    private struct Builder {
        var blocks: [Block] = []
        var current: Block?
        /// Inside a fenced code block: the fence that closes it.
        var fence: String?

        mutating func take(_ scalars: [Unicode.Scalar], start: Int) {
            let text = String(String.UnicodeScalarView(scalars))
            if let open = fence {
                if Self.isFence(scalars, closing: open) {
                    finishBlock()
                    fence = nil
                } else {
                    current!.lines.append(Line(start: start, text: text))
                }
                return
            }
            let indent = scalars.prefix { $0 == " " }.count
            let body = scalars.dropFirst(indent)
            if body.isEmpty || body.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) {
                finishBlock()
                return
            }
            if indent < 4, let opening = Self.fenceOpening(body) {
                finishBlock()
                fence = opening
                current = Block(type: .code, lines: [])
                return
            }
            if indent == 0, let level = Self.headingLevel(body) {
                finishBlock()
                blocks.append(Block(type: .heading, level: level,
                                    lines: [line(scalars, from: level + 1, start: start)]))
                return
            }
            if let marker = Self.listMarker(body) {
                finishBlock()
                let skip = indent + marker.count + 1
                current = Block(type: .item, marker: marker, depth: indent / 2,
                                lines: [line(scalars, from: skip, start: start)])
                return
            }
            if indent == 0, body.first == ">" {
                let skip = body.dropFirst().first == " " ? 2 : 1
                if current?.type != .quote { finishBlock() }
                if current == nil { current = Block(type: .quote, lines: []) }
                current!.lines.append(line(scalars, from: skip, start: start))
                return
            }
            if current == nil || current?.type == .quote { finishBlock(); current = Block(type: .paragraph, lines: []) }
            current!.lines.append(Line(start: start, text: text))
        }

        mutating func finishBlock() {
            if let block = current, !block.lines.isEmpty || block.type == .code { blocks.append(block) }
            current = nil
        }

        /// The line from its `skip`th scalar on.
        func line(_ scalars: [Unicode.Scalar], from skip: Int, start: Int) -> Line {
            let kept = scalars.dropFirst(min(skip, scalars.count))
            return Line(start: start + (scalars.count - kept.count), text: String(String.UnicodeScalarView(kept)))
        }

        /// `#` to `######` followed by a space.
        static func headingLevel(_ body: ArraySlice<Unicode.Scalar>) -> Int? {
            let hashes = body.prefix { $0 == "#" }.count
            guard (1...6).contains(hashes), body.dropFirst(hashes).first == " ",
                  body.dropFirst(hashes + 1).contains(where: { $0 != " " }) else { return nil }
            return hashes
        }

        /// `-`, `*` or `+`, or up to nine digits and `.` or `)`, followed by a space and text.
        static func listMarker(_ body: ArraySlice<Unicode.Scalar>) -> String? {
            guard let first = body.first else { return nil }
            var marker: ArraySlice<Unicode.Scalar>
            if first == "-" || first == "*" || first == "+" {
                marker = body.prefix(1)
            } else {
                let digits = body.prefix { $0.properties.numericType == .decimal && $0.isASCII }.count
                guard (1...9).contains(digits), let dot = body.dropFirst(digits).first, dot == "." || dot == ")" else { return nil }
                marker = body.prefix(digits + 1)
            }
            let rest = body.dropFirst(marker.count)
            guard rest.first == " ", rest.dropFirst().contains(where: { $0 != " " }) else { return nil }
            return String(String.UnicodeScalarView(marker))
        }

        /// The fence that closes a code block opened by this line (three or more backticks or
        /// tildes, then an optional language), or nil.
        static func fenceOpening(_ body: ArraySlice<Unicode.Scalar>) -> String? {
            guard let first = body.first, first == "`" || first == "~" else { return nil }
            let run = body.prefix { $0 == first }.count
            guard run >= 3 else { return nil }
            if first == "`" && body.dropFirst(run).contains("`") { return nil }
            return String(repeating: String(Character(first)), count: run)
        }

        static func isFence(_ scalars: [Unicode.Scalar], closing open: String) -> Bool {
            let body = scalars.drop { $0 == " " }
            guard let first = open.unicodeScalars.first else { return false }
            let run = body.prefix { $0 == first }.count
            return run >= open.unicodeScalars.count && body.dropFirst(run).allSatisfy { $0 == " " }
        }
    }
}
