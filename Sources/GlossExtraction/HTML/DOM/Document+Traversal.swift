extension Document {
    /// The `<html>` element (or whatever element the document holds first).
    var documentElement: Node? {
        firstElementChild(root)
    }

    /// The `<body>` element, if the page has one.
    var body: Node? {
        guard let html = documentElement else { return nil }
        return children(html).first { tag($0) == .body }
    }

    // MARK: - Children

    /// All child nodes, text included.
    func childNodes(_ node: Node) -> [Node] {
        var result: [Node] = []
        var child = firstChild(node)
        while let current = child {
            result.append(current)
            child = next(current)
        }
        return result
    }

    /// The element children.
    func children(_ node: Node) -> [Node] {
        var result: [Node] = []
        var child = firstElementChild(node)
        while let current = child {
            result.append(current)
            child = nextElementSibling(current)
        }
        return result
    }

    func childElementCount(_ node: Node) -> Int {
        var count = 0
        var child = firstElementChild(node)
        while let current = child {
            count += 1
            child = nextElementSibling(current)
        }
        return count
    }

    func firstElementChild(_ node: Node) -> Node? {
        var child = firstChild(node)
        while let current = child, !isElement(current) { child = next(current) }
        return child
    }

    func nextElementSibling(_ node: Node) -> Node? {
        var sibling = next(node)
        while let current = sibling, !isElement(current) { sibling = next(current) }
        return sibling
    }

    // MARK: - Descendants

    /// Calls `body` for every node below `node` in document order; `body` returns false to skip
    /// the subtree of the node it was given. The tree must not change meanwhile.
    func walk(_ node: Node, _ body: (Node) -> Bool) {
        var current = firstChild(node)
        while let visiting = current {
            if body(visiting), let child = firstChild(visiting) {
                current = child
                continue
            }
            var climbing: Node? = visiting
            current = nil
            while let step = climbing, step != node {
                if let sibling = next(step) {
                    current = sibling
                    break
                }
                climbing = parent(step)
            }
        }
    }

    /// Every element below `node` with one of the tags, in document order (a snapshot).
    func descendants(_ node: Node, _ tags: TagSet) -> [Node] {
        var result: [Node] = []
        walk(node) { current in
            if isElement(current), tags.contains(tag(current)) { result.append(current) }
            return true
        }
        return result
    }

    func descendants(_ node: Node, _ wanted: Tag) -> [Node] {
        var result: [Node] = []
        walk(node) { current in
            if isElement(current), tag(current) == wanted { result.append(current) }
            return true
        }
        return result
    }

    func countDescendants(_ node: Node, _ wanted: Tag) -> Int {
        var count = 0
        walk(node) { current in
            if isElement(current), tag(current) == wanted { count += 1 }
            return true
        }
        return count
    }

    func hasDescendant(_ node: Node, where predicate: (Node) -> Bool) -> Bool {
        var found = false
        walk(node) { current in
            if !found, isElement(current), predicate(current) { found = true }
            return !found
        }
        return found
    }

    /// The element that follows `node` in a depth-first walk over elements; with
    /// `skippingChildren`, the walk does not enter `node`.
    func nextElementInOrder(_ node: Node, skippingChildren: Bool = false) -> Node? {
        if !skippingChildren, let child = firstElementChild(node) { return child }
        if let sibling = nextElementSibling(node) { return sibling }
        var ancestor = parent(node)
        while let current = ancestor {
            if let sibling = nextElementSibling(current) { return sibling }
            ancestor = parent(current)
        }
        return nil
    }

    /// Takes `node` out and returns the element a depth-first walk visits next.
    func removeAndGetNext(_ node: Node) -> Node? {
        let next = nextElementInOrder(node, skippingChildren: true)
        detach(node)
        return next
    }

    // MARK: - Ancestors

    /// The parents of `node`, nearest first; at most `maxDepth` of them when it is above zero.
    func ancestors(_ node: Node, maxDepth: Int = 0) -> [Node] {
        var result: [Node] = []
        var current = parent(node)
        while let ancestor = current {
            result.append(ancestor)
            if maxDepth > 0, result.count == maxDepth { break }
            current = parent(ancestor)
        }
        return result
    }

    /// Whether an ancestor within `maxDepth` levels (all of them when it is zero or less) has
    /// the tag and passes the filter.
    func hasAncestor(_ node: Node, _ wanted: Tag, maxDepth: Int = 3, where filter: ((Node) -> Bool)? = nil) -> Bool {
        var depth = 0
        var current = node
        while let ancestor = parent(current) {
            if maxDepth > 0, depth > maxDepth { return false }
            if tag(ancestor) == wanted, isElement(ancestor), filter?(ancestor) ?? true { return true }
            current = ancestor
            depth += 1
        }
        return false
    }
}
