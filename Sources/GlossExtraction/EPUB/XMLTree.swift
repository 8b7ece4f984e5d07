import CLibXML2

/// An XML file (an EPUB's container, package, navigation) as a small tree, read with libxml2's
/// XML parser: element names and attribute names without their prefixes, namespaces by URI, text.
///
/// The parser recovers from damaged markup, never touches the network, loads no DTD and expands no
/// entity but the predefined ones; it stops at 256 levels of nesting (libxml2's default).
final class XMLTree {
    enum Content {
        case element(XMLTree)
        case text(String)
    }

    /// The local name, without a prefix: `title` for `<dc:title>`.
    let name: String
    /// The namespace URI, if the element has one.
    let namespace: String?
    /// Attributes by local name (`type` for `epub:type`); the first of two with one name wins.
    let attributes: [String: String]
    private(set) var contents: [Content] = []

    private init(name: String, namespace: String?, attributes: [String: String]) {
        self.name = name
        self.namespace = namespace
        self.attributes = attributes
    }

    /// Parses UTF-8 (or UTF-16 with a byte-order mark, or what the XML declaration names);
    /// nil when libxml2 recovers no root element.
    static func parse(_ bytes: [UInt8]) -> XMLTree? {
        LibXMLParser.initializeOnce()
        gloss_xml_silence_errors()
        guard !bytes.isEmpty, bytes.count < Int(Int32.max) else { return nil }
        let options = Int32(
            XML_PARSE_RECOVER.rawValue | XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue
                | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NOCDATA.rawValue)
        let parsed: xmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                xmlReadMemory(chars.baseAddress, Int32(chars.count), nil, nil, options)
            }
        }
        guard let parsed else { return nil }
        defer { xmlFreeDoc(parsed) }
        guard let root = xmlDocGetRootElement(parsed) else { return nil }
        return convert(root)
    }

    private static func convert(_ node: xmlNodePtr) -> XMLTree {
        var attributes: [String: String] = [:]
        var attribute = node.pointee.properties
        while let current = attribute {
            defer { attribute = current.pointee.next }
            guard let rawName = current.pointee.name else { continue }
            let name = String(cString: rawName)
            guard attributes[name] == nil else { continue }
            attributes[name] = LibXMLParser.value(of: current)
        }
        let element = XMLTree(
            name: String(cString: node.pointee.name),
            namespace: node.pointee.ns.flatMap { $0.pointee.href }.map { String(cString: $0) },
            attributes: attributes)
        var child = node.pointee.children
        while let current = child {
            switch current.pointee.type {
            case XML_ELEMENT_NODE:
                element.contents.append(.element(convert(current)))
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let text = current.pointee.content { element.contents.append(.text(String(cString: text))) }
            default:
                break
            }
            child = current.pointee.next
        }
        return element
    }

    // MARK: - Reading

    var children: [XMLTree] {
        contents.compactMap { if case .element(let child) = $0 { child } else { nil } }
    }

    func child(_ name: String) -> XMLTree? {
        children.first { $0.name == name }
    }

    /// Every element below this one (not itself) with the given local name, in document order.
    func descendants(_ name: String) -> [XMLTree] {
        var found: [XMLTree] = []
        var stack = children.reversed() as [XMLTree]
        while let next = stack.popLast() {
            if next.name == name { found.append(next) }
            stack.append(contentsOf: next.children.reversed())
        }
        return found
    }

    /// All the text below this element, whitespace runs collapsed to one space and trimmed.
    var text: String {
        var pieces: [String] = []
        var stack: [Content] = contents.reversed()
        while let next = stack.popLast() {
            switch next {
            case .text(let text): pieces.append(text)
            case .element(let child): stack.append(contentsOf: child.contents.reversed())
            }
        }
        return Document.normalizingSpaces(pieces.joined())
    }
}
