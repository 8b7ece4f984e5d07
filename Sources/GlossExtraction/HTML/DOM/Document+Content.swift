extension Document {
    /// Whether a node is phrasing content (text and inline elements); a link, `<del>` or
    /// `<ins>` is when all its children are.
    func isPhrasingContent(_ node: Node) -> Bool {
        if isText(node) { return true }
        let tag = self.tag(node)
        if tag.isPhrasing { return true }
        guard tag == .a || tag == .del || tag == .ins else { return false }
        return childNodes(node).allSatisfy(isPhrasingContent)
    }

    /// The characters that are not whitespace in the text below `node` a reader could see:
    /// not in scripts, styles, templates or `<noscript>`.
    func visibleCharacters(below node: Node) -> Int {
        var count = 0
        walk(node) { current in
            if isText(current) {
                count += TextMeasure.nonWhitespaceScalars(in: text(current))
                return false
            }
            return ![.script, .style, .template, .noscript].contains(tag(current))
        }
        return count
    }

    /// Whether a node is blank text or a line break.
    func isWhitespace(_ node: Node) -> Bool {
        if isText(node) { return measure(node).isBlank }
        return tag(node) == .br
    }

    /// The first node from `node` on (it included) that is an element or holds non-blank text.
    func nextNonBlank(_ node: Node?) -> Node? {
        var current = node
        while let step = current, !isElement(step), measure(step).isBlank { current = next(step) }
        return current
    }

    /// The first node from `node` back (it included) that is an element or holds non-blank text.
    func nextNonBlankBackward(_ node: Node?) -> Node? {
        var current = node
        while let step = current, !isElement(step), measure(step).isBlank { current = previous(step) }
        return current
    }
}
