/// Readies a freshly parsed page for scoring: drops placeholder images, turns runs of `<br>`
/// into paragraphs and `<font>` into `<span>`, and takes out consent notices (see ``ConsentNotice``).
enum PagePreparation {
    static func prepare(_ document: Document) {
        for image in document.descendants(document.root, .img).reversed() where isPlaceholder(image, in: document) {
            document.detach(image)
        }
        if let body = document.body { replaceLineBreakRuns(in: body, document) }
        for font in document.descendants(document.root, .font) { document.setTag(font, .span) }
        ConsentNotice.removeAll(from: document)
    }

    /// An `<img>` with no attribute that could name a picture (lazy loaders fill these in).
    private static func isPlaceholder(_ image: Node, in document: Document) -> Bool {
        for attribute in document.attributes(of: image) {
            if ["src", "srcset", "data-src", "data-srcset"].contains(attribute.name) { return false }
            let value = attribute.value.lowercased()
            if [".jpg", ".jpeg", ".png", ".webp"].contains(where: { value.contains($0) }) { return false }
        }
        return true
    }

    /// Makes each run of two or more `<br>` a paragraph break: the text after the run, up to the
    /// next run or block, goes into a new `<p>`. Inside `<pre>` a run is blank lines of the
    /// preformatted text and stays.
    ///
    ///     <div>foo<br>bar<br> <br><br>abc</div>  →  <div>foo<br>bar<p>abc</p></div>
    private static func replaceLineBreakRuns(in body: Node, _ document: Document) {
        for lineBreak in document.descendants(body, .br) where !document.hasAncestor(lineBreak, .pre) {
            var next = document.next(lineBreak)
            var replaced = false
            while let node = document.nextNonBlank(next), document.tag(node) == .br, document.isElement(node) {
                replaced = true
                next = document.next(node)
                document.detach(node)
            }
            guard replaced, let parent = document.parent(lineBreak) else { continue }
            let paragraph = document.createElement(.p)
            document.replace(lineBreak, with: paragraph)
            next = document.next(paragraph)
            while let node = next {
                if document.isElement(node), document.tag(node) == .br,
                   let following = document.nextNonBlank(document.next(node)),
                   document.isElement(following), document.tag(following) == .br {
                    break
                }
                guard document.isPhrasingContent(node) else { break }
                next = document.next(node)
                document.append(node, to: paragraph)
            }
            while let last = document.lastChild(paragraph), document.isWhitespace(last) { document.detach(last) }
            if document.tag(parent) == .p { document.setTag(parent, .div) }
        }
    }
}
