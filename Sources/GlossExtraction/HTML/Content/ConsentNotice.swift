/// Cookie and consent notices, found in any language by what they say and how they are built:
/// a block that names cookies or a data-protection law and asks with the consent cues of the
/// plain-text classifier (``PlainTextExtractor/Lexicon/consentCues``), and that is built as a
/// notice is: a dialog, a fixed or sticky banner, or a block with buttons or a row of links
/// to answer with. A paragraph of an article about cookies has none of those, and stays.
enum ConsentNotice {
    /// Longest text a notice has; a longer block is a page, whatever it says.
    static let maximumLength = 1_500
    /// Text the notice's block may hold beyond the sentence that names cookies (the other
    /// sentences, the buttons' labels).
    static let blockAllowance = 500

    /// Takes every consent notice out of the page.
    static func removeAll(from document: Document) {
        // Text nodes are visited in document order, so a notice's other sentences come after
        // the one that found it: they are passed over while they lie inside it.
        var notices: [Node] = []
        var rejected: Set<Node> = []
        for index in document.records.indices where document.records[index].kind == .text {
            let node = Node(index: Int32(index))
            guard subjects.matches(document.text(node)) else { continue }
            if let last = notices.last, isInside(node, last, document) { continue }
            guard let block = block(around: node, in: document), !rejected.contains(block) else { continue }
            if isNotice(block, in: document) {
                notices.append(block)
            } else {
                rejected.insert(block)
            }
        }
        for notice in notices { document.detach(notice) }
    }

    private static func isInside(_ node: Node, _ ancestor: Node, _ document: Document) -> Bool {
        var current = document.parent(node)
        while let step = current {
            if step == ancestor { return true }
            current = document.parent(step)
        }
        return false
    }

    /// The outermost element around the text that adds at most `blockAllowance` characters to it.
    private static func block(around text: Node, in document: Document) -> Node? {
        let length = document.measure(text).normalizedLength
        var block: Node?
        var current = document.parent(text)
        while let step = current, document.isElement(step) {
            let tag = document.tag(step)
            if tag == .body || tag == .html || tag == .main || tag == .article { break }
            if document.measure(step).normalizedLength > length + blockAllowance { break }
            block = step
            current = document.parent(step)
        }
        return block
    }

    /// Whether the block is short, built as a notice and worded as one.
    private static func isNotice(_ block: Node, in document: Document) -> Bool {
        document.measure(block).normalizedLength <= maximumLength && isBuiltAsNotice(block, in: document)
            && isConsentText(document.textContent(block))
    }

    /// A dialog, a fixed or sticky banner, or a block with buttons, or with two links and not a paragraph.
    static func isBuiltAsNotice(_ block: Node, in document: Document) -> Bool {
        var links = 0
        var found = false
        document.walk(block) { current in
            guard !found, document.isElement(current) else { return !found }
            if isDialogLike(current, in: document) { found = true }
            switch document.tag(current) {
            case .button, .input, .select: found = true
            case .a: links += 1
            default: break
            }
            return !found
        }
        if found || isDialogLike(block, in: document) { return true }
        return links >= 2 && document.tag(block) != .p && document.tag(block) != .li
    }

    private static func isDialogLike(_ node: Node, in document: Document) -> Bool {
        if document.tag(node) == .dialog || document.attribute("aria-modal", of: node) == "true" { return true }
        // Not role=banner: that is the page's header landmark, not a dialog.
        if let role = document.attribute("role", of: node), ["dialog", "alertdialog", "alert"].contains(role) { return true }
        if let style = document.attribute("style", of: node) {
            // The position property only ("table-layout: fixed" is no banner).
            let compact = style.lowercased().filter { !$0.isWhitespace }
            return compact.contains("position:fixed") || compact.contains("position:sticky")
        }
        return false
    }

    /// Names cookies or a data-protection law, and uses two of the consent cues.
    static func isConsentText(_ text: String) -> Bool {
        subjects.matches(text) && cues.distinctMatches(in: text, limit: 2) >= 2
    }

    /// The consent cues, matched on bytes (ASCII letters in any case).
    private static let cues = ClassHints.Words(PlainTextExtractor.Lexicon.consentCues)

    /// The consent subjects, matched on bytes: cheap enough to try on every text node.
    private static let subjects = ClassHints.Words(PlainTextExtractor.Lexicon.consentSubjects)
}
