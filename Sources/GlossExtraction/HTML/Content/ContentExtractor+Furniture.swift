/// Page furniture recognised by its structure rather than by class names, so that it is found in
/// any language and on sites whose class names say nothing ("css-1q2w3e"): forms with the prompt
/// around them (comment forms, newsletter sign-ups), rows of controls (share buttons, "like ·
/// quote · report"), repeated link blocks (related headlines, card grids, tag lists), paragraphs
/// that are a lead-in and a link ("Read also: …", "Baca juga: …"), each with the heading that
/// labels it.
extension ContentExtractor.Attempt {
    /// A form with more text than this (outside its controls too) wraps the page, as ASP.NET
    /// pages do, rather than asking the reader something.
    static let maximumFormText = 400
    /// Text a form's surroundings may add (a heading, a line of instructions) and still be its prompt.
    static let formPromptAllowance = 220
    /// Text a link block's surroundings may add (a heading, a label) and still be part of it.
    static let linkBlockLabelAllowance = 80
    /// Longest item of a link block: a headline with its date, not a paragraph.
    static let maximumLinkItemLength = 220
    /// Longest paragraph that can be a lead-in and a link.
    static let maximumLinkParagraphLength = 200

    /// Removes the structural furniture inside the article (see the extension's summary). Every
    /// attempt does, the last one too (which cleans nothing else), so that an article shorter than
    /// `characterThreshold` is not traded for a longer text padded with its furniture.
    func removeStructuralFurniture(_ article: Node) {
        for form in document.descendants(article, .form).reversed() where isAttached(form, below: article) {
            guard document.measure(form).normalizedLength <= Self.maximumFormText else { continue }
            removeWithLabel(enclosingFurniture(of: form, in: article, allowance: Self.formPromptAllowance))
        }
        for block in document.descendants(article, Self.blockTags).reversed() where isAttached(block, below: article) {
            guard let kind = linkOrControlBlock(block) else { continue }
            // Links inside the text (a list of sources, of changes) may be the article's own; at
            // its edge, or with buttons, they are furniture.
            if kind != .controls, !isAtEdge(block, of: article) { continue }
            // Prose where every word is a link reads like a row of one-word links.
            if kind == .wordLinks, document.tag(block) == .p { continue }
            removeWithLabel(enclosingFurniture(of: block, in: article, allowance: Self.linkBlockLabelAllowance))
        }
        for paragraph in document.descendants(article, .p).reversed() where isAttached(paragraph, below: article) {
            guard isLinkParagraph(paragraph) else { continue }
            document.detach(paragraph)
        }
    }

    /// Removes a block of furniture and the heading just before it, which labels it ("Related",
    /// "Leave a comment") when nothing else comes between them.
    private func removeWithLabel(_ block: Node) {
        if let previous = document.previous(block).flatMap(document.nextNonBlankBackward), document.isElement(previous),
           document.tag(previous).isHeading, document.measure(previous).normalizedLength <= Self.linkBlockLabelAllowance {
            document.detach(previous)
        }
        document.detach(block)
    }

    /// Elements that can be a link block (`<p>` among them: scoring turns a `<div>` of inline
    /// content into one).
    static let blockTags: TagSet = [.ul, .ol, .div, .section, .nav, .aside, .header, .footer, .dl, .menu, .p]

    // MARK: - Tests

    /// Whether `node` is still in the tree below `article` (an earlier removal may have taken it).
    private func isAttached(_ node: Node, below article: Node) -> Bool {
        var current = document.parent(node)
        while let step = current {
            if step == article { return true }
            current = document.parent(step)
        }
        return false
    }

    /// What a block of links or controls holds.
    enum LinkBlock {
        /// Buttons or form controls: an interface, not text.
        case controls
        /// Links of three words or more on average: headlines leading elsewhere.
        case headlines
        /// Links of a word or two: a menu, a share row, tags, or a list the article gives.
        case wordLinks
    }

    /// Whether the element's parts are mostly links or buttons: three or more items (child
    /// elements, and runs of text between them) of which at least four in five are a short
    /// link, button or control; or a short block holding two or more buttons.
    func linkOrControlBlock(_ node: Node) -> LinkBlock? {
        let total = document.measure(node).normalizedLength
        guard total > 0 else { return nil }
        var items = 0, controlItems = 0, buttons = 0, controlWords = 0
        var child = document.firstChild(node)
        while let current = child {
            child = document.next(current)
            if document.isText(current) {
                if !document.measure(current).isBlank, !isSeparator(document.text(current)) { items += 1 }
                continue
            }
            let tag = document.tag(current)
            if tag == .button || tag == .input || tag == .select { buttons += 1 }
            let length = document.measure(current).normalizedLength
            if length == 0 {
                if tag == .button || tag == .input { items += 1; controlItems += 1 }
                continue
            }
            items += 1
            if length <= Self.maximumLinkItemLength, controlTextLength(current) * 2 >= length {
                controlItems += 1
                controlWords += wordCount(current)
            }
        }
        if buttons >= 2, total <= 120 { return .controls }
        guard items >= 3, controlItems * 5 >= items * 4 else { return nil }
        return controlWords >= 3 * controlItems ? .headlines : .wordLinks
    }

    /// Words in the text below `node`; a run of Chinese or Japanese counts a word for every two characters.
    private func wordCount(_ node: Node) -> Int {
        var words = 0
        document.walk(node) { current in
            guard document.isText(current) else { return true }
            var inWord = false
            var unspaced = 0
            for scalar in document.text(current).unicodeScalars {
                if TextMeasure.isSpace(scalar) {
                    inWord = false
                } else if scalar.value >= 0x2E80 {
                    unspaced += 1
                    inWord = false
                } else if !inWord {
                    inWord = true
                    words += 1
                }
            }
            words += unspaced / 2
            return true
        }
        return words
    }

    /// Text of one or two characters that only separates items: "|", "·", "/", "-".
    private func isSeparator(_ text: String) -> Bool {
        let trimmed = text.trimmingSpaces
        return trimmed.count <= 2 && !trimmed.contains(where: { $0.isLetter || $0.isNumber })
    }

    /// The length of the text inside links and buttons below `node` (it included).
    private func controlTextLength(_ node: Node) -> Int {
        let tag = document.tag(node)
        if tag == .a || tag == .button || tag == .label { return document.measure(node).normalizedLength }
        var length = 0
        document.walk(node) { current in
            guard document.isElement(current) else { return true }
            let tag = document.tag(current)
            guard tag == .a || tag == .button else { return true }
            length += document.measure(current).normalizedLength
            return false
        }
        return length
    }

    /// A short paragraph that is mostly one link after a lead-in: "Read also: <headline>".
    func isLinkParagraph(_ paragraph: Node) -> Bool {
        let length = document.measure(paragraph).normalizedLength
        guard length > 0, length <= Self.maximumLinkParagraphLength, controlTextLength(paragraph) * 10 >= length * 6,
              wordCount(paragraph) >= 4 else { return false }
        // "By <a>Mara Quinn</a>" is a byline, which the article keeps.
        return PlainTextExtractor.byline(ofLine: document.innerText(paragraph)) == nil
    }

    /// The outermost element around `node`, below `article`, that adds no more than `allowance`
    /// characters of text to it: the block a form or link list is the heart of, with its heading.
    func enclosingFurniture(of node: Node, in article: Node, allowance: Int) -> Node {
        let length = document.measure(node).normalizedLength
        var root = node
        while let parent = document.parent(root), parent != article {
            if document.measure(parent).normalizedLength > length + allowance { break }
            root = parent
        }
        return root
    }

    /// Text a block may have on one side within the article and still be at its edge: a title,
    /// a byline and a date before a share row.
    static let edgeAllowance = 100

    /// Whether the block is at the start or the end of the article: no more than
    /// `edgeAllowance` characters of text before it, or after it.
    func isAtEdge(_ node: Node, of article: Node) -> Bool {
        textLength(beside: node, in: article, before: true) <= Self.edgeAllowance
            || textLength(beside: node, in: article, before: false) <= Self.edgeAllowance
    }

    /// The length of the text before (or after) `node` inside `article`, counted up to just
    /// past `edgeAllowance`.
    private func textLength(beside node: Node, in article: Node, before: Bool) -> Int {
        var length = 0
        var current = node
        while current != article {
            var sibling = before ? document.previous(current) : document.next(current)
            while let step = sibling {
                length += document.measure(step).normalizedLength
                if length > Self.edgeAllowance { return length }
                sibling = before ? document.previous(step) : document.next(step)
            }
            guard let parent = document.parent(current) else { return length }
            current = parent
        }
        return length
    }
}
