/// Writes an article element as Markdown-like text: one paragraph per block, separated by a
/// blank line; headings as `## Heading`, list items as `- item` or `1. item` (indented when
/// nested), block quotes as `> quote`, table rows as `cell | cell`, `<br>` as a line break,
/// preformatted text as a fenced code block. Whitespace is collapsed everywhere but in `<pre>`
/// (where indentation and single blank lines stay) and no-break spaces inside `<code>` (which
/// pages without `<pre>` use to indent code).
struct TextRenderer {
    private let document: Document
    private var paragraphs: [String] = []
    /// The paragraph being written, as UTF-8.
    private var line: [UInt8] = []
    private var pendingSpace = false
    private var preformatted = 0
    private var code = 0
    private var quotes = 0
    private var lists: [(ordered: Bool, next: Int)] = []
    private var marker: String?
    /// Cells rendered inline, in rows whose cells hold no blocks.
    private var inlineCells: Set<Node> = []

    init(document: Document) {
        self.document = document
    }

    static func render(_ node: Node, in document: Document) -> String {
        var renderer = TextRenderer(document: document)
        return renderer.render(node)
    }

    mutating func render(_ node: Node) -> String {
        var current = document.firstChild(node)
        while let visiting = current {
            enter(visiting)
            if document.isElement(visiting), let child = document.firstChild(visiting) {
                current = child
                continue
            }
            if document.isElement(visiting) { exit(visiting) }
            var climbing: Node? = visiting
            current = nil
            while let step = climbing, step != node {
                if let sibling = document.next(step) {
                    current = sibling
                    break
                }
                climbing = document.parent(step)
                if let parent = climbing, parent != node { exit(parent) }
            }
        }
        flush()
        return paragraphs.joined(separator: "\n\n")
    }

    // MARK: - Events

    private mutating func enter(_ node: Node) {
        guard document.isElement(node) else {
            append(document.text(node))
            return
        }
        let tag = document.tag(node)
        switch tag {
        case .code:
            code += 1
        case .br:
            if preformatted > 0 || !line.isEmpty {
                line.append(Self.newline)
                pendingSpace = false
            }
            return
        case .td, .th:
            if inlineCells.contains(node) {
                if !line.isEmpty { line.append(contentsOf: " | ".utf8) }
                pendingSpace = false
                return
            }
        case .tr:
            let cells = document.children(node).filter { [.td, .th].contains(document.tag($0)) }
            if !cells.contains(where: { document.hasDescendant($0) { document.tag($0).isBlock } }) {
                inlineCells.formUnion(cells)
            }
        default:
            break
        }
        guard tag.isBlock else { return }
        flush()
        switch tag {
        case .ul, .ol, .menu, .dir:
            // Browsers number from any integer; a page's absurd start must not overflow the count.
            let start = Int(document.attribute("start", of: node)?.trimmingSpaces ?? "").map { min(max($0, -1_000_000), 1_000_000) } ?? 1
            lists.append((tag == .ol, start))
        case .li:
            let depth = max(lists.count - 1, 0)
            let indent = String(repeating: "  ", count: depth)
            if var list = lists.last, list.ordered {
                marker = indent + "\(list.next). "
                list.next += 1
                lists[lists.count - 1] = list
            } else {
                marker = indent + "- "
            }
        case .blockquote:
            quotes += 1
        case .pre, .listing, .xmp, .plaintext:
            preformatted += 1
        default:
            if let level = tag.headingLevel { marker = String(repeating: "#", count: level) + " " }
        }
    }

    private mutating func exit(_ node: Node) {
        let tag = document.tag(node)
        if tag == .code { code = max(code - 1, 0) }
        guard tag.isBlock, !inlineCells.contains(node) else { return }
        flush()
        switch tag {
        case .ul, .ol, .menu, .dir:
            if !lists.isEmpty { lists.removeLast() }
        case .li:
            marker = nil
        case .blockquote:
            quotes = max(quotes - 1, 0)
        case .pre, .listing, .xmp, .plaintext:
            preformatted = max(preformatted - 1, 0)
        default:
            if tag.isHeading { marker = nil }
        }
    }

    private static let newline = UInt8(ascii: "\n")
    private static let space = UInt8(ascii: " ")
    private static let noBreakSpace: UInt32 = 0xA0

    private mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            if preformatted > 0 {
                for byte in bytes where byte != UInt8(ascii: "\r") { line.append(byte) }
                return
            }
            var index = 0
            while index < bytes.count {
                let (value, length) = UTF8Scalar.decode(bytes, at: index)
                if value == Self.noBreakSpace, code > 0 {
                    if pendingSpace, let last = line.last, last != Self.newline { line.append(Self.space) }
                    pendingSpace = false
                    line.append(Self.space)
                } else if TextMeasure.isSpace(value) {
                    pendingSpace = true
                } else {
                    if pendingSpace, let last = line.last, last != Self.newline { line.append(Self.space) }
                    pendingSpace = false
                    line.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<(index + length)]))
                }
                index += length
            }
        }
    }

    /// Ends the current paragraph.
    private mutating func flush() {
        defer {
            line.removeAll(keepingCapacity: true)
            pendingSpace = false
        }
        var lines: [String] = []
        for piece in line.split(separator: Self.newline, omittingEmptySubsequences: preformatted == 0) {
            var end = piece.endIndex
            if preformatted > 0 {
                while end > piece.startIndex, [Self.space, UInt8(ascii: "\t"), 0x0B, 0x0C].contains(piece[end - 1]) { end -= 1 }
                // One blank line inside code stays; a run of them becomes one.
                if end == piece.startIndex, lines.last?.isEmpty != false { continue }
            }
            guard end > piece.startIndex || preformatted > 0 else { continue }
            lines.append(String(decoding: piece[..<end], as: UTF8.self))
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard !lines.isEmpty else { return }
        if preformatted > 0 { lines = Self.fenced(lines) }
        let quote = String(repeating: "> ", count: quotes)
        var rendered = ""
        for (index, content) in lines.enumerated() {
            if index > 0 { rendered += "\n" }
            rendered += quote
            if index == 0 { rendered += marker ?? "" } else if let marker { rendered += String(repeating: " ", count: marker.count) }
            rendered += content
        }
        marker = nil
        paragraphs.append(rendered)
    }

    /// Preformatted lines as a Markdown code block: between fences of backticks longer than any
    /// run of backticks in the lines themselves.
    private static func fenced(_ lines: [String]) -> [String] {
        var longest = 0
        for line in lines {
            var run = 0
            for character in line.utf8 {
                run = character == UInt8(ascii: "`") ? run + 1 : 0
                longest = max(longest, run)
            }
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return [fence] + lines + [fence]
    }
}
