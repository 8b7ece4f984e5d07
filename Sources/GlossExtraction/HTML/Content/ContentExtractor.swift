/// Finds the article in a page by scoring its paragraphs, in the manner of Mozilla's
/// Readability: paragraphs earn points for their length and commas and hand them to their
/// parents and grandparents; class and id hints add or take away; the best-scored element,
/// cleared of link-heavy and furniture-like blocks, is the article, joined by siblings that
/// score nearly as well or read like paragraphs.
///
/// When that leaves too little text, the search runs again with fewer rules (first keeping
/// "unlikely" elements, then ignoring class hints, then cleaning nothing), and the longest
/// result of all attempts wins.
struct ContentExtractor {
    struct Flags: OptionSet {
        let rawValue: Int
        static let stripUnlikely = Flags(rawValue: 1)
        static let weightClasses = Flags(rawValue: 2)
        static let cleanConditionally = Flags(rawValue: 4)
        static let all: Flags = [.stripUnlikely, .weightClasses, .cleanConditionally]
    }

    /// What an extraction found: the tree it worked on and the article element in it.
    struct Result {
        let document: Document
        let article: Node
        /// The length of the article's text (whitespace collapsed).
        let textLength: Int
        /// A byline found in the page's markup (an element classed "byline", `rel=author`…).
        let byline: String?
    }

    /// Text shorter than this sends the search round again with fewer rules.
    static let characterThreshold = 500
    static let topCandidateCount = 5

    /// The article's title, to drop a heading that repeats it.
    let title: String
    /// Whether the metadata already names the author, so no byline need be looked for.
    let hasBylineFromMetadata: Bool

    func extract(from page: Document) -> Result? {
        var flags = Flags.all
        var attempts: [Result] = []
        var byline: String?
        while true {
            var attempt = Attempt(document: page.copy(), flags: flags, title: title,
                                  lookForByline: !hasBylineFromMetadata && byline == nil)
            let article = attempt.run()
            byline = byline ?? attempt.byline
            let length = attempt.document.measure(article).normalizedLength
            let result = Result(document: attempt.document, article: article, textLength: length, byline: byline)
            if length >= Self.characterThreshold { return result }
            attempts.append(result)
            if flags.contains(.stripUnlikely) {
                flags.remove(.stripUnlikely)
            } else if flags.contains(.weightClasses) {
                flags.remove(.weightClasses)
            } else if flags.contains(.cleanConditionally) {
                flags.remove(.cleanConditionally)
            } else {
                guard let best = attempts.max(by: { $0.textLength < $1.textLength }), best.textLength > 0 else { return nil }
                return Result(document: best.document, article: best.article, textLength: best.textLength, byline: byline)
            }
        }
    }
}

// MARK: - One attempt

extension ContentExtractor {
    /// One pass of the search over its own copy of the page.
    struct Attempt {
        let document: Document
        let flags: Flags
        let title: String
        var lookForByline: Bool
        var byline: String?
        var scores: [Node: Double] = [:]
        var dataTables: Set<Node> = []
        /// Whether each node of the page as this attempt starts holds text (see ``Document/textPresence()``).
        private let hasText: [Bool]

        init(document: Document, flags: Flags, title: String, lookForByline: Bool) {
            self.document = document
            hasText = document.textPresence()
            self.flags = flags
            self.title = title
            self.lookForByline = lookForByline
        }

        mutating func run() -> Node {
            let elementsToScore = prepareAndCollect()
            let candidates = scoreParagraphs(elementsToScore)
            let (topCandidate, createdTopCandidate) = chooseTopCandidate(candidates)
            let article = gatherSiblings(of: topCandidate, created: createdTopCandidate)
            prepareArticle(article)
            return article
        }

        // MARK: Pass 1: drop furniture, turn text-only divs into paragraphs

        private mutating func prepareAndCollect() -> [Node] {
            var elementsToScore: [Node] = []
            var shouldRemoveTitleHeader = true
            var next = document.documentElement
            while let node = next {
                let tag = document.tag(node)
                let className = document.className(node), id = document.id(node)
                let matchString = className.isEmpty && id.isEmpty ? "" : className + " " + id

                if !isProbablyVisible(node) {
                    next = document.removeAndGetNext(node)
                    continue
                }
                if document.attribute("aria-modal", of: node) == "true", document.attribute("role", of: node) == "dialog" {
                    next = document.removeAndGetNext(node)
                    continue
                }
                if checkByline(node, matchString) {
                    next = document.removeAndGetNext(node)
                    continue
                }
                if shouldRemoveTitleHeader, headerDuplicatesTitle(node) {
                    shouldRemoveTitleHeader = false
                    next = document.removeAndGetNext(node)
                    continue
                }
                if flags.contains(.stripUnlikely) {
                    if ClassHints.unlikely.matches(matchString), !ClassHints.maybeCandidate.matches(matchString),
                       !document.hasAncestor(node, .table), !document.hasAncestor(node, .code), tag != .body, tag != .a {
                        next = document.removeAndGetNext(node)
                        continue
                    }
                    if let role = document.attribute("role", of: node), ClassHints.unlikelyRoles.contains(role) {
                        next = document.removeAndGetNext(node)
                        continue
                    }
                }
                if tag == .div || tag == .section || tag == .header || tag.isHeading, isElementWithoutContent(node) {
                    next = document.removeAndGetNext(node)
                    continue
                }
                if Self.tagsToScore.contains(tag) { elementsToScore.append(node) }

                var current = node
                if tag == .div {
                    wrapPhrasingContent(of: node)
                    if hasSingleTag(.p, inside: node), document.linkDensity(node) < 0.25,
                       let paragraph = document.firstElementChild(node) {
                        document.replace(node, with: paragraph)
                        current = paragraph
                        elementsToScore.append(paragraph)
                    } else if !hasChildBlockElement(node) {
                        document.setTag(node, .p)
                        elementsToScore.append(node)
                    }
                }
                next = document.nextElementInOrder(current)
            }
            return elementsToScore
        }

        static let tagsToScore: TagSet = [.section, .h2, .h3, .h4, .h5, .h6, .p, .td, .pre]

        /// Gathers each run of inline content directly in a `<div>` into a `<p>`.
        private func wrapPhrasingContent(of div: Node) {
            var paragraph: Node?
            var child = document.firstChild(div)
            while let node = child {
                let nextSibling = document.next(node)
                if isPhrasingContent(node) {
                    if let paragraph {
                        document.append(node, to: paragraph)
                    } else if !isWhitespace(node) {
                        let created = document.createElement(.p)
                        document.replace(node, with: created)
                        document.append(node, to: created)
                        paragraph = created
                    }
                } else if let open = paragraph {
                    while let last = document.lastChild(open), isWhitespace(last) { document.detach(last) }
                    paragraph = nil
                }
                child = nextSibling
            }
        }

        // MARK: Pass 2: score paragraphs into their ancestors

        private mutating func scoreParagraphs(_ elements: [Node]) -> [Node] {
            var candidates: [Node] = []
            for element in elements {
                guard let parent = document.parent(element), document.isElement(parent) else { continue }
                let measure = document.measure(element)
                let length = measure.normalizedLength
                guard length >= 25 else { continue }
                let ancestors = document.ancestors(element, maxDepth: 5)
                guard !ancestors.isEmpty else { continue }
                let score = 1 + Double(measure.commas + 1) + Double(min(length / 100, 3))
                for (level, ancestor) in ancestors.enumerated() {
                    guard document.isElement(ancestor), let above = document.parent(ancestor), document.isElement(above) else {
                        continue
                    }
                    if scores[ancestor] == nil {
                        scores[ancestor] = initialScore(ancestor)
                        candidates.append(ancestor)
                    }
                    let divider = level == 0 ? 1.0 : level == 1 ? 2.0 : Double(level * 3)
                    scores[ancestor, default: 0] += score / divider
                }
            }
            return candidates
        }

        /// The score an element starts from: its kind, and its class and id.
        private func initialScore(_ node: Node) -> Double {
            var score = 0.0
            switch document.tag(node) {
            case .div: score += 5
            case .pre, .td, .blockquote: score += 3
            case .address, .ol, .ul, .dl, .dd, .dt, .li, .form: score -= 3
            case .h1, .h2, .h3, .h4, .h5, .h6, .th: score -= 5
            default: break
            }
            return score + Double(classWeight(node))
        }

        func classWeight(_ node: Node) -> Int {
            guard flags.contains(.weightClasses) else { return 0 }
            var weight = 0
            for value in [document.className(node), document.id(node)] where !value.isEmpty {
                if ClassHints.isNegative(value) { weight -= 25 }
                if ClassHints.positive.matches(value) { weight += 25 }
            }
            return weight
        }

        // MARK: Pass 3: the top candidate

        private mutating func chooseTopCandidate(_ candidates: [Node]) -> (Node, created: Bool) {
            var top: [Node] = []
            for candidate in candidates {
                let score = (scores[candidate] ?? 0) * (1 - document.linkDensity(candidate))
                scores[candidate] = score
                if let index = top.firstIndex(where: { score > (scores[$0] ?? 0) }) {
                    top.insert(candidate, at: index)
                    if top.count > ContentExtractor.topCandidateCount { top.removeLast() }
                } else if top.count < ContentExtractor.topCandidateCount {
                    top.append(candidate)
                }
            }

            guard var topCandidate = top.first, document.tag(topCandidate) != .body else {
                return (wrapWholePage(), true)
            }

            // Several near-best candidates under one ancestor: that ancestor holds the article.
            let topScore = scores[topCandidate] ?? 0
            let alternatives = top.dropFirst().filter { (scores[$0] ?? 0) / topScore >= 0.75 }.map { document.ancestors($0) }
            if alternatives.count >= 3 {
                var ancestor = document.parent(topCandidate)
                while let current = ancestor, isBelowBody(current) {
                    if alternatives.count(where: { $0.contains(current) }) >= 3 {
                        topCandidate = current
                        break
                    }
                    ancestor = document.parent(current)
                }
            }
            if scores[topCandidate] == nil { scores[topCandidate] = initialScore(topCandidate) }

            // A parent scoring higher than the candidate, not far up, holds more of the article.
            var lastScore = scores[topCandidate] ?? 0
            let threshold = lastScore / 3
            var ancestor = document.parent(topCandidate)
            while let current = ancestor, isBelowBody(current) {
                guard let parentScore = scores[current] else {
                    ancestor = document.parent(current)
                    continue
                }
                if parentScore < threshold { break }
                if parentScore > lastScore {
                    topCandidate = current
                    break
                }
                lastScore = parentScore
                ancestor = document.parent(current)
            }

            // An only child stands for its parent, so the parent's siblings can join.
            while let parent = document.parent(topCandidate), isBelowBody(parent), document.childElementCount(parent) == 1 {
                topCandidate = parent
            }
            if scores[topCandidate] == nil { scores[topCandidate] = initialScore(topCandidate) }
            return (topCandidate, false)
        }

        /// Whether `node` is an element inside the body (not the body, html or document itself).
        private func isBelowBody(_ node: Node) -> Bool {
            let tag = document.tag(node)
            return document.isElement(node) && tag != .body && tag != .html && document.parent(node) != nil
        }

        /// No candidate: everything in the body goes into one new `<div>`.
        private mutating func wrapWholePage() -> Node {
            let container = document.createElement(.div)
            let page = document.body ?? document.documentElement ?? document.root
            for child in document.childNodes(page) { document.append(child, to: container) }
            document.append(container, to: page)
            scores[container] = initialScore(container)
            return container
        }

        // MARK: Pass 4: siblings

        private mutating func gatherSiblings(of topCandidate: Node, created: Bool) -> Node {
            let article = document.createElement(.div)
            if created {
                document.append(topCandidate, to: article)
                return article
            }
            let topScore = scores[topCandidate] ?? 0
            let threshold = max(10, topScore * 0.2)
            let topClass = document.className(topCandidate)
            guard let parent = document.parent(topCandidate) else {
                document.append(topCandidate, to: article)
                return article
            }
            for sibling in document.children(parent) {
                var append = sibling == topCandidate
                if !append {
                    let bonus = !topClass.isEmpty && document.className(sibling) == topClass ? topScore * 0.2 : 0
                    if let score = scores[sibling], score + bonus >= threshold {
                        append = true
                    } else if document.tag(sibling) == .p {
                        let linkDensity = document.linkDensity(sibling)
                        let text = document.innerText(sibling)
                        let length = text.utf16.count
                        if length > 80, linkDensity < 0.25 {
                            append = true
                        } else if length < 80, length > 0, linkDensity == 0, Self.hasSentenceEnd(text) {
                            append = true
                        }
                    }
                }
                guard append else { continue }
                if ![.div, .article, .section, .p, .ol, .ul].contains(document.tag(sibling)) {
                    document.setTag(sibling, .div)
                }
                document.append(sibling, to: article)
            }
            return article
        }

        /// A full stop followed by a space or the end.
        static func hasSentenceEnd(_ text: String) -> Bool {
            var previousWasStop = false
            for scalar in text.unicodeScalars {
                if previousWasStop, scalar == " " { return true }
                previousWasStop = scalar == "."
            }
            return previousWasStop
        }

        // MARK: - Element tests

        func isProbablyVisible(_ node: Node) -> Bool {
            if let style = document.attribute("style", of: node), InlineStyle.hides(style) { return false }
            if document.hasAttribute("hidden", node) { return false }
            if document.attribute("aria-hidden", of: node) == "true", !document.className(node).contains("fallback-image") {
                return false
            }
            return true
        }

        private mutating func checkByline(_ node: Node, _ matchString: String) -> Bool {
            guard lookForByline, byline == nil else { return false }
            let isAuthor = document.attribute("rel", of: node) == "author"
                || document.attribute("itemprop", of: node)?.contains("author") == true
                || ClassHints.byline.matches(matchString)
            guard isAuthor else { return false }
            let text = Document.normalizingSpaces(document.textContent(node))
            guard !text.isEmpty, document.measure(node).trimmedLength < 100 else { return false }
            byline = text
            return true
        }

        private func headerDuplicatesTitle(_ node: Node) -> Bool {
            let tag = document.tag(node)
            guard tag == .h1 || tag == .h2 else { return false }
            let heading = document.textContent(node).trimmingSpaces
            return TextSimilarity.similarity(title, heading) > 0.75
        }

        func isElementWithoutContent(_ node: Node) -> Bool {
            // Pass 1 changes no subtree before visiting its root, so the presence of text worked
            // out at the start still holds for every node that existed then.
            let holdsText = Int(node.index) < hasText.count ? hasText[Int(node.index)] : document.measure(node).trimmedLength > 0
            guard document.isElement(node), !holdsText else { return false }
            let children = document.childElementCount(node)
            return children == 0 || children == document.countDescendants(node, .br) + document.countDescendants(node, .hr)
        }

        /// Whether the element holds exactly one element, with the tag, and no text but whitespace.
        func hasSingleTag(_ tag: Tag, inside node: Node) -> Bool {
            guard document.childElementCount(node) == 1, let child = document.firstElementChild(node),
                  document.tag(child) == tag else { return false }
            return !document.childNodes(node).contains { document.isText($0) && Self.endsWithContent(document.text($0)) }
        }

        /// Whether the text ends with something other than whitespace.
        static func endsWithContent(_ text: String) -> Bool {
            guard let last = text.unicodeScalars.last else { return false }
            return !TextMeasure.isSpace(last)
        }

        func hasChildBlockElement(_ node: Node) -> Bool {
            document.hasDescendant(node) { document.tag($0).isBlockInsideDiv }
        }

        func isPhrasingContent(_ node: Node) -> Bool { document.isPhrasingContent(node) }

        func isWhitespace(_ node: Node) -> Bool { document.isWhitespace(node) }
    }
}

