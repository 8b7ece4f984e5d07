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
        var notices: [Node] = []
        for index in document.records.indices where document.records[index].kind == .text {
            let node = Node(index: Int32(index))
            guard subjects.matches(document.text(node)), let notice = notice(around: node, in: document),
                  !notices.contains(notice) else { continue }
            notices.append(notice)
        }
        for notice in notices { document.detach(notice) }
    }

    /// The notice that holds the text node, if the text is part of one.
    static func notice(around text: Node, in document: Document) -> Node? {
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
        guard let block, document.measure(block).normalizedLength <= maximumLength,
              isBuiltAsNotice(block, in: document), isConsentText(document.textContent(block)) else { return nil }
        return block
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
        if let role = document.attribute("role", of: node), ["dialog", "alertdialog", "alert", "banner"].contains(role) { return true }
        if let style = document.attribute("style", of: node) {
            let lowered = style.lowercased()
            return lowered.contains("fixed") || lowered.contains("sticky")
        }
        return false
    }

    /// Names cookies or a data-protection law, and uses two of the consent cues.
    static func isConsentText(_ text: String) -> Bool {
        let lower = text.lowercased()
        guard PlainTextExtractor.Lexicon.consentSubjects.contains(where: lower.contains) else { return false }
        var cues = 0
        for cue in PlainTextExtractor.Lexicon.consentCues where lower.contains(cue) {
            cues += 1
            if cues >= 2 { return true }
        }
        return false
    }

    /// The consent subjects, matched on bytes: cheap enough to try on every text node.
    private static let subjects = ClassHints.Words(PlainTextExtractor.Lexicon.consentSubjects)
}
