/// Lengths of a run of text, combinable without building the text: its length trimmed, its
/// length trimmed with inner whitespace runs counted as one, and its commas.
///
/// Lengths are in UTF-16 code units and whitespace is what JavaScript's `\s` matches, so the
/// thresholds of the scoring rules mean what they mean in Readability.
struct TextMeasure: Sendable {
    /// True while the text is empty or only whitespace; then `leading` is all of it.
    var isBlank = true
    var leading = 0
    var trailing = 0
    /// The length between the outer whitespace, each inner whitespace run counted as one.
    var core = 0
    /// The length between the outer whitespace.
    var rawCore = 0
    /// Commas of any script (Latin, Arabic, CJK…).
    var commas = 0
    /// ASCII commas only.
    var asciiCommas = 0

    init() {}

    init(_ text: String) {
        var text = text
        self = text.withUTF8(Self.measuring)
    }

    private static func measuring(_ bytes: UnsafeBufferPointer<UInt8>) -> TextMeasure {
        var measure = TextMeasure()
        var run = 0
        var index = 0
        while index < bytes.count {
            let (value, length) = UTF8Scalar.decode(bytes, at: index)
            index += length
            let units = length == 4 ? 2 : 1
            if isSpace(value) {
                run += units
                continue
            }
            if measure.isBlank {
                measure.isBlank = false
                measure.leading = run
            } else if run > 0 {
                measure.core += 1
                measure.rawCore += run
            }
            run = 0
            measure.core += units
            measure.rawCore += units
            switch value {
            case 0x2C:
                measure.commas += 1
                measure.asciiCommas += 1
            case 0x060C, 0xFE50, 0xFE10, 0xFE11, 0x2E41, 0x2E34, 0x2E32, 0xFF0C:
                measure.commas += 1
            default:
                break
            }
        }
        if measure.isBlank { measure.leading = run } else { measure.trailing = run }
        return measure
    }

    /// The length of the text trimmed, with whitespace runs collapsed to one space.
    var normalizedLength: Int { isBlank ? 0 : core }
    /// The length of the text trimmed.
    var trimmedLength: Int { isBlank ? 0 : rawCore }
    /// The length of the text as it is.
    var totalLength: Int { isBlank ? leading : leading + rawCore + trailing }

    /// The measure of `self` followed by `other`.
    static func + (lhs: TextMeasure, rhs: TextMeasure) -> TextMeasure {
        if rhs.isBlank {
            var result = lhs
            if lhs.isBlank { result.leading += rhs.leading } else { result.trailing += rhs.leading }
            return result
        }
        if lhs.isBlank {
            var result = rhs
            result.leading += lhs.leading
            return result
        }
        var result = TextMeasure()
        result.isBlank = false
        result.leading = lhs.leading
        result.trailing = rhs.trailing
        let run = lhs.trailing + rhs.leading
        result.core = lhs.core + (run > 0 ? 1 : 0) + rhs.core
        result.rawCore = lhs.rawCore + run + rhs.rawCore
        result.commas = lhs.commas + rhs.commas
        result.asciiCommas = lhs.asciiCommas + rhs.asciiCommas
        return result
    }

    /// The scalars of `text` that are not Unicode white space: what
    /// ``ExtractionCoverage/characters(in:)`` counts, read from the UTF-8 bytes without asking
    /// the Unicode tables about each scalar (the White_Space property is a fixed list of 25).
    static func nonWhitespaceScalars(in text: String) -> Int {
        var text = text
        return text.withUTF8 { bytes in
            var count = 0
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte < 0x80 {
                    index += 1
                    if byte != 0x20, !(0x09...0x0D).contains(byte) { count += 1 }
                    continue
                }
                let (value, length) = UTF8Scalar.decode(bytes, at: index)
                index += length
                switch value {
                case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: break
                default: count += 1
                }
            }
            return count
        }
    }

    /// What JavaScript's `\s` matches.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        isSpace(scalar.value)
    }

    @inline(__always)
    static func isSpace(_ value: UInt32) -> Bool {
        switch value {
        case 0x09...0x0D, 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF: true
        default: false
        }
    }
}

extension Document {
    /// The measure of all the text below `node`.
    func measure(_ node: Node) -> TextMeasure {
        if isText(node) { return measures[Int(self[node].payload)] }
        var total = TextMeasure()
        walk(node) { current in
            if isText(current) { total = total + measures[Int(self[current].payload)] }
            return true
        }
        return total
    }

    /// For each node, by index, whether any text below it is more than whitespace: each such
    /// text marks its ancestors up to the first one already marked, so the pass is linear.
    func textPresence() -> [Bool] {
        var present = [Bool](repeating: false, count: records.count)
        for index in records.indices where records[index].kind == .text && !measures[Int(records[index].payload)].isBlank {
            var current: Node? = Node(index: Int32(index))
            while let node = current, !present[Int(node.index)] {
                present[Int(node.index)] = true
                current = parent(node)
            }
        }
        return present
    }

    /// All the text below `node`, as it is.
    func textContent(_ node: Node) -> String {
        if isText(node) { return text(node) }
        var result = ""
        walk(node) { current in
            if isText(current) { result += text(current) }
            return true
        }
        return result
    }

    /// The text below `node`, trimmed and with whitespace runs collapsed to one space.
    func innerText(_ node: Node) -> String {
        Self.normalizingSpaces(textContent(node))
    }

    /// Text trimmed, with each whitespace run made one space.
    static func normalizingSpaces(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if TextMeasure.isSpace(scalar) {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace { result.append(" ") }
                pendingSpace = false
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// The share of the text below `node` that is link text; links to a place on the same page
    /// count for less, and `javascript:` links (which lead nowhere once scripts are gone) not at
    /// all when `ignoringScriptLinks`.
    func linkDensity(_ node: Node, ignoringScriptLinks: Bool = false) -> Double {
        let length = measure(node).normalizedLength
        guard length > 0 else { return 0 }
        var linkLength = 0.0
        walk(node) { current in
            guard isElement(current), tag(current) == .a else { return true }
            let href = attribute("href", of: current) ?? ""
            if ignoringScriptLinks, href.lowercased().hasPrefix("javascript:") { return true }
            let coefficient = href.count > 1 && href.hasPrefix("#") ? 0.3 : 1
            linkLength += Double(measure(current).normalizedLength) * coefficient
            return true
        }
        return linkLength / Double(length)
    }
}

/// Decoding one scalar from valid UTF-8 (a Swift string's bytes).
enum UTF8Scalar {
    /// The scalar at `index` and how many bytes it takes.
    @inline(__always)
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (value: UInt32, length: Int) {
        let lead = UInt32(bytes[index])
        if lead < 0x80 { return (lead, 1) }
        let count = bytes.count
        if lead < 0xE0, index + 1 < count {
            return ((lead & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F), 2)
        }
        if lead < 0xF0, index + 2 < count {
            return ((lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F), 3)
        }
        if index + 3 < count {
            let value = (lead & 0x07) << 18 | UInt32(bytes[index + 1] & 0x3F) << 12 | UInt32(bytes[index + 2] & 0x3F) << 6
                | UInt32(bytes[index + 3] & 0x3F)
            return (value, 4)
        }
        return (0xFFFD, 1)
    }
}
