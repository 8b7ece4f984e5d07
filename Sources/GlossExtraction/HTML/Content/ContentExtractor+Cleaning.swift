extension ContentExtractor.Attempt {
    /// Clears the chosen article of what is not part of it: forms, embeds, asides, share
    /// widgets, headings classed as furniture, and blocks that look like lists of links or
    /// image galleries rather than text.
    mutating func prepareArticle(_ article: Node) {
        markDataTables(article)
        addLazyFigureImages(article)
        removeStructuralFurniture(article)

        cleanConditionally(article, .form)
        cleanConditionally(article, .fieldset)
        for tag: Tag in [.object, .embed, .footer, .link, .aside] { clean(article, tag) }

        for child in document.children(article) {
            removeMatching(inside: child) { node, matchString in
                ClassHints.isShare(matchString) && document.measure(node).totalLength < ContentExtractor.characterThreshold
            }
        }

        for tag: Tag in [.iframe, .input, .textarea, .select, .button] { clean(article, tag) }
        for heading in document.descendants(article, [.h1, .h2]).reversed() where classWeight(heading) < 0 {
            document.detach(heading)
        }

        cleanConditionally(article, .table)
        cleanConditionally(article, .ul)
        cleanConditionally(article, .div)

        for heading in document.descendants(article, .h1) { document.setTag(heading, .h2) }

        for paragraph in document.descendants(article, .p).reversed() {
            let media = document.descendants(paragraph, [.img, .embed, .object, .iframe]).count
            if media == 0, document.measure(paragraph).trimmedLength == 0 { document.detach(paragraph) }
        }

        for lineBreak in document.descendants(article, .br) {
            if let next = document.nextNonBlank(document.next(lineBreak)), document.tag(next) == .p {
                document.detach(lineBreak)
            }
        }

        for table in document.descendants(article, .table) {
            let body = hasSingleTag(.tbody, inside: table) ? document.firstElementChild(table)! : table
            guard hasSingleTag(.tr, inside: body), let row = document.firstElementChild(body),
                  hasSingleTag(.td, inside: row), let cell = document.firstElementChild(row) else { continue }
            let phrasing = document.childNodes(cell).allSatisfy(isPhrasingContent)
            document.setTag(cell, phrasing ? .p : .div)
            document.replace(table, with: cell)
        }
    }

    // MARK: - Removing

    /// Removes every element with the tag, but embedded videos.
    private func clean(_ node: Node, _ tag: Tag) {
        let isEmbed = tag == .object || tag == .embed || tag == .iframe
        for element in document.descendants(node, tag).reversed() {
            if isEmbed, isVideo(element) { continue }
            document.detach(element)
        }
    }

    private func isVideo(_ element: Node) -> Bool {
        document.attributes(of: element).contains { Self.isVideoURL($0.value) }
    }

    /// Whether a URL points at a video player people expect to keep.
    static func isVideoURL(_ value: String) -> Bool {
        videoHosts.matches(value)
    }

    private static let videoHosts = ClassHints.Words(
        "//www.dailymotion.com", "//dailymotion.com", "//www.youtube.com", "//youtube.com", "//www.youtube-nocookie.com",
        "//youtube-nocookie.com", "//player.vimeo.com", "//www.player.vimeo.com", "//v.qq.com", "//www.v.qq.com",
        "//archive.org", "//www.archive.org", "//upload.wikimedia.org", "//www.upload.wikimedia.org", "//player.twitch.tv",
        "//www.player.twitch.tv")

    /// Removes elements below `node` that the filter picks, given each one's class and id.
    private func removeMatching(inside node: Node, _ filter: (Node, String) -> Bool) {
        let end = document.nextElementInOrder(node, skippingChildren: true)
        var next = document.nextElementInOrder(node)
        while let current = next, current != end {
            if filter(current, document.className(current) + " " + document.id(current)) {
                next = document.removeAndGetNext(current)
            } else {
                next = document.nextElementInOrder(current)
            }
        }
    }

    // MARK: - Conditional cleaning

    /// Removes elements with the tag that look like furniture: negative class hints, or few
    /// commas together with too many images, list items, inputs or links for their text.
    private func cleanConditionally(_ node: Node, _ tag: Tag) {
        guard flags.contains(.cleanConditionally) else { return }
        for element in document.descendants(node, tag).reversed() where document.parent(element) != nil {
            if shouldRemove(element, tag) { document.detach(element) }
        }
    }

    private func shouldRemove(_ node: Node, _ tag: Tag) -> Bool {
        let text = document.measure(node)
        var isList = tag == .ul || tag == .ol
        if !isList {
            let listLength = document.descendants(node, [.ul, .ol]).reduce(0) { $0 + document.measure($1).normalizedLength }
            isList = Double(listLength) / Double(text.normalizedLength) > 0.9
        }
        if tag == .table, dataTables.contains(node) { return false }
        if document.hasAncestor(node, .table, maxDepth: -1, where: { dataTables.contains($0) }) { return false }
        if document.hasAncestor(node, .code) { return false }
        if !dataTables.isEmpty, document.hasDescendant(node, where: { dataTables.contains($0) }) { return false }

        let weight = classWeight(node)
        if weight < 0 { return true }
        guard text.asciiCommas < 10 else { return false }

        var paragraphs = 0, images = 0, items = 0, inputs = 0
        var embeds: [Node] = []
        document.walk(node) { current in
            guard document.isElement(current) else { return true }
            switch document.tag(current) {
            case .p: paragraphs += 1
            case .img: images += 1
            case .li: items += 1
            case .input: inputs += 1
            case .object, .embed, .iframe: embeds.append(current)
            default: break
            }
            return true
        }
        items -= 100
        if embeds.contains(where: isVideo) { return false }
        // The longest label is "advertisement" (13 letters): only short text can be one.
        if text.normalizedLength <= 16, Self.isAdOrLoadingLabel(document.innerText(node)) { return true }

        let headingDensity = textDensity(node, [.h1, .h2, .h3, .h4, .h5, .h6])
        let contentLength = text.normalizedLength
        let linkDensity = document.linkDensity(node)
        let isFigureChild = document.hasAncestor(node, .figure)

        var remove = false
        if !isFigureChild, images > 1, Double(paragraphs) / Double(images) < 0.5 { remove = true }
        if !isList, items > paragraphs { remove = true }
        if inputs > paragraphs / 3 { remove = true }
        if !isList, !isFigureChild, headingDensity < 0.9, contentLength < 25, images == 0 || images > 2, linkDensity > 0 {
            remove = true
        }
        if !isList, weight < 25, linkDensity > 0.2 { remove = true }
        if weight >= 25, linkDensity > 0.5 { remove = true }
        if (embeds.count == 1 && contentLength < 75) || embeds.count > 1 { remove = true }
        if images == 0, !hasText(inside: node, Self.textishTags) { remove = true }

        // A list of images may stay, when each item is just its image.
        if isList, remove {
            for child in document.children(node) where document.childElementCount(child) > 1 { return true }
            if images == document.countDescendants(node, .li) { return false }
        }
        return remove
    }

    private static let textishTags: TagSet = [.span, .li, .td, .blockquote, .dl, .div, .img, .ol, .p, .pre, .table, .ul]

    /// Whether any text below `node` lies inside an element with one of the tags (below `node`).
    private func hasText(inside node: Node, _ tags: TagSet) -> Bool {
        var found = false
        document.walk(node) { current in
            guard !found else { return false }
            guard document.isText(current), !document.measure(current).isBlank else { return true }
            var ancestor = document.parent(current)
            while let step = ancestor, step != node {
                if tags.contains(document.tag(step)) {
                    found = true
                    break
                }
                ancestor = document.parent(step)
            }
            return true
        }
        return found
    }

    /// The share of the text below `node` inside elements with the tags.
    private func textDensity(_ node: Node, _ tags: TagSet) -> Double {
        let length = document.measure(node).normalizedLength
        guard length > 0 else { return 0 }
        let inside = document.descendants(node, tags).reduce(0) { $0 + document.measure($1).normalizedLength }
        return Double(inside) / Double(length)
    }

    /// Text that is nothing but "Advertisement" or "Loading…" in one of several languages.
    static func isAdOrLoadingLabel(_ text: String) -> Bool {
        let lowered = text.lowercased()
        if ["ad", "advertising", "advertisement", "pub", "publicité", "werb", "werbung", "广告", "реклама", "anuncio"]
            .contains(lowered) { return true }
        for word in ["loading", "正在加载", "загрузка", "chargement", "cargando"] {
            if lowered == word || lowered == word + "…" || lowered == word + "..." { return true }
        }
        return false
    }

    // MARK: - Tables and figures

    /// Notes which tables hold data (as opposed to laying out the page): a caption, header
    /// cells, column groups, or enough rows and columns.
    private mutating func markDataTables(_ node: Node) {
        for table in document.descendants(node, .table) {
            if document.attribute("role", of: table) == "presentation" { continue }
            if document.attribute("datatable", of: table) == "0" { continue }
            if let summary = document.attribute("summary", of: table), !summary.isEmpty {
                dataTables.insert(table)
                continue
            }
            if let caption = document.descendants(table, .caption).first, document.firstChild(caption) != nil {
                dataTables.insert(table)
                continue
            }
            if document.hasDescendant(table, where: { [.col, .colgroup, .tfoot, .thead, .th].contains(document.tag($0)) }) {
                dataTables.insert(table)
                continue
            }
            if document.hasDescendant(table, where: { document.tag($0) == .table }) { continue }
            var rows = 0, columns = 0
            for row in document.descendants(table, .tr) {
                rows += span(document.attribute("rowspan", of: row), limit: 65_534)
                var inRow = 0
                for cell in document.descendants(row, .td) { inRow += span(document.attribute("colspan", of: cell), limit: 1_000) }
                columns = max(columns, inRow)
            }
            if columns == 1 || rows == 1 { continue }
            if rows >= 10 || columns > 4 || Double(rows) * Double(columns) > 10 { dataTables.insert(table) }
        }
    }

    /// A `rowspan` or `colspan`: a positive number up to what browsers allow, else 1.
    private func span(_ value: String?, limit: Int) -> Int {
        guard let value = value.flatMap({ Int($0.trimmingSpaces) }), value > 0 else { return 1 }
        return min(value, limit)
    }

    /// Gives a `<figure>` whose image only a lazy-loading attribute names an `<img>`, so it
    /// counts as the image it shows.
    private func addLazyFigureImages(_ node: Node) {
        for figure in document.descendants(node, .figure) {
            guard document.descendants(figure, [.img, .picture]).isEmpty else { continue }
            let names = document.attributes(of: figure).filter { !["src", "srcset", "alt"].contains($0.name) }
            if names.contains(where: { Self.namesImage($0.value) }) {
                document.append(document.createElement(.img), to: figure)
            }
        }
    }

    /// Whether an attribute value reads like an image URL, or a `srcset` list of them.
    static func namesImage(_ value: String) -> Bool {
        let scalars = Array(value.unicodeScalars)
        let trimmed = value.trimmingSpaces
        let single = !trimmed.isEmpty && !trimmed.unicodeScalars.contains(where: TextMeasure.isSpace)
        for ext in [".jpg", ".jpeg", ".png", ".webp"] {
            let pattern = Array(ext.unicodeScalars)
            var index = 0
            while index + pattern.count <= scalars.count {
                defer { index += 1 }
                guard scalars[index..<(index + pattern.count)].elementsEqual(pattern) else { continue }
                if single, index > 0 { return true }
                var after = index + pattern.count
                var spaces = 0
                while after < scalars.count, TextMeasure.isSpace(scalars[after]) {
                    after += 1
                    spaces += 1
                }
                if spaces > 0, after < scalars.count, ("0"..."9").contains(scalars[after]) { return true }
            }
        }
        return false
    }
}
