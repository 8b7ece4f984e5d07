/// One node of a ``Document``: an index into its storage, cheap to copy and compare.
struct Node: Hashable, Sendable {
    let index: Int32
}

/// A parsed page as a mutable tree: the document node, elements and text.
///
/// Nodes live in flat arrays linked by index (parent, first and last child, siblings), so the
/// tree is rearranged without allocation and copied whole in one step for each extraction
/// attempt. Comments, scripts, styles and templates are not part of it (see ``LibXMLParser``).
final class Document {
    enum Kind: UInt8 {
        case document, element, text
    }

    struct Attribute {
        var name: String
        var value: String
    }

    struct Record {
        var kind: Kind
        var tag: Tag
        var parent: Node?
        var firstChild: Node?
        var lastChild: Node?
        var previous: Node?
        var next: Node?
        /// The index of the text (text nodes) or of the attribute list (elements); -1 for none.
        var payload: Int32
    }

    private(set) var records: [Record]
    private(set) var texts: [String] = []
    private(set) var measures: [TextMeasure] = []
    private(set) var attributeLists: [[Attribute]] = []
    /// The text of each `<script type="application/ld+json">`, in document order.
    var jsonLD: [String] = []

    let root = Node(index: 0)

    init() {
        records = [Record(kind: .document, tag: .other, payload: -1)]
        records.reserveCapacity(4096)
    }

    /// A deep copy, for an extraction attempt that rearranges the tree.
    func copy() -> Document {
        let copy = Document()
        copy.records = records
        copy.texts = texts
        copy.measures = measures
        copy.attributeLists = attributeLists
        copy.jsonLD = jsonLD
        return copy
    }

    // MARK: - Creating nodes

    func createElement(_ tag: Tag, attributes: [Attribute] = []) -> Node {
        var payload: Int32 = -1
        if !attributes.isEmpty {
            payload = Int32(attributeLists.count)
            attributeLists.append(attributes)
        }
        records.append(Record(kind: .element, tag: tag, payload: payload))
        return Node(index: Int32(records.count - 1))
    }

    func createText(_ text: String) -> Node {
        texts.append(text)
        measures.append(TextMeasure(text))
        records.append(Record(kind: .text, tag: .other, payload: Int32(texts.count - 1)))
        return Node(index: Int32(records.count - 1))
    }

    // MARK: - Reading nodes

    subscript(node: Node) -> Record {
        records[Int(node.index)]
    }

    func isElement(_ node: Node) -> Bool { self[node].kind == .element }
    func isText(_ node: Node) -> Bool { self[node].kind == .text }
    func tag(_ node: Node) -> Tag { self[node].tag }
    func parent(_ node: Node) -> Node? { self[node].parent }
    func firstChild(_ node: Node) -> Node? { self[node].firstChild }
    func lastChild(_ node: Node) -> Node? { self[node].lastChild }
    func next(_ node: Node) -> Node? { self[node].next }
    func previous(_ node: Node) -> Node? { self[node].previous }

    /// The text of a text node ("" for other nodes).
    func text(_ node: Node) -> String {
        let record = self[node]
        return record.kind == .text ? texts[Int(record.payload)] : ""
    }

    func attribute(_ name: String, of node: Node) -> String? {
        let record = self[node]
        guard record.kind == .element, record.payload >= 0 else { return nil }
        for attribute in attributeLists[Int(record.payload)] where attribute.name == name {
            return attribute.value
        }
        return nil
    }

    func attributes(of node: Node) -> [Attribute] {
        let record = self[node]
        guard record.kind == .element, record.payload >= 0 else { return [] }
        return attributeLists[Int(record.payload)]
    }

    func hasAttribute(_ name: String, _ node: Node) -> Bool { attribute(name, of: node) != nil }

    /// The `class` attribute, or "".
    func className(_ node: Node) -> String { attribute("class", of: node) ?? "" }

    /// The `id` attribute, or "".
    func id(_ node: Node) -> String { attribute("id", of: node) ?? "" }

    // MARK: - Changing nodes

    func setTag(_ node: Node, _ tag: Tag) {
        records[Int(node.index)].tag = tag
    }

    /// Takes a node (with its subtree) out of the tree; it can be inserted again.
    func detach(_ node: Node) {
        let record = self[node]
        guard let parent = record.parent else { return }
        if let previous = record.previous {
            records[Int(previous.index)].next = record.next
        } else {
            records[Int(parent.index)].firstChild = record.next
        }
        if let next = record.next {
            records[Int(next.index)].previous = record.previous
        } else {
            records[Int(parent.index)].lastChild = record.previous
        }
        records[Int(node.index)].parent = nil
        records[Int(node.index)].previous = nil
        records[Int(node.index)].next = nil
    }

    func append(_ child: Node, to parent: Node) {
        detach(child)
        let last = self[parent].lastChild
        records[Int(child.index)].parent = parent
        records[Int(child.index)].previous = last
        if let last {
            records[Int(last.index)].next = child
        } else {
            records[Int(parent.index)].firstChild = child
        }
        records[Int(parent.index)].lastChild = child
    }

    func insert(_ child: Node, before sibling: Node) {
        guard let parent = self[sibling].parent else { return }
        detach(child)
        let previous = self[sibling].previous
        records[Int(child.index)].parent = parent
        records[Int(child.index)].previous = previous
        records[Int(child.index)].next = sibling
        records[Int(sibling.index)].previous = child
        if let previous {
            records[Int(previous.index)].next = child
        } else {
            records[Int(parent.index)].firstChild = child
        }
    }

    /// Puts `replacement` where `node` is, and takes `node` out.
    func replace(_ node: Node, with replacement: Node) {
        guard self[node].parent != nil, node != replacement else { return }
        insert(replacement, before: node)
        detach(node)
    }
}
