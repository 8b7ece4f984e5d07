import CLibXML2

/// Builds a ``Document`` with libxml2's HTML parser, the one lxml (and so trafilatura and
/// readability-lxml) stand on.
///
/// The parser reads UTF-8 only, recovers from any markup and never touches the network. It stops at 256 levels of
/// nesting, so whatever lies deeper in a pathological page is lost rather than recursed into.
/// Comments, scripts, styles, `<noscript>` and `<template>` are left out of the tree (JSON-LD
/// scripts are kept aside as text for the metadata), and so is the content of SVG and MathML
/// class names, which a browser would not expose as strings either.
enum LibXMLParser {
    /// Parses a page in UTF-8 (see ``Transcoder`` for other encodings), ignoring the charset
    /// the page declares; nil when libxml2 gives up.
    static func parse(_ utf8: [UInt8]) -> Document? {
        initialize
        gloss_xml_silence_errors()
        guard utf8.count < Int(Int32.max) else { return nil }
        let options = Int32(
            HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue | HTML_PARSE_IGNORE_ENC.rawValue)
        let parsed: htmlDocPtr? = utf8.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                // An empty buffer has no base address; libxml2 reads a one-space page instead.
                guard let base = chars.baseAddress, !chars.isEmpty else {
                    return htmlReadMemory(" ", 1, nil, "UTF-8", options)
                }
                return htmlReadMemory(base, Int32(chars.count), nil, "UTF-8", options)
            }
        }
        guard let parsed else { return nil }
        defer { xmlFreeDoc(parsed) }
        return convert(parsed)
    }

    private static let initialize: Void = {
        xmlInitParser()
    }()

    /// Initializes libxml2 once per process, for any of its parsers.
    static func initializeOnce() {
        initialize
    }

    // MARK: - Conversion

    private static func convert(_ parsed: htmlDocPtr) -> Document {
        let document = Document()
        // The open elements, with whether each is inside SVG or MathML.
        var parents: [(node: Node, foreign: Bool)] = [(document.root, false)]
        var xmlParents: [xmlNodePtr] = []
        var current = parsed.pointee.children

        while let node = current {
            var descend = false
            switch node.pointee.type {
            case XML_ELEMENT_NODE:
                let name = String(cString: node.pointee.name)
                let tag = Tag(name: name)
                switch tag {
                case .script:
                    if let type = property("type", of: node), type.lowercased().contains("ld+json") {
                        document.jsonLD.append(content(of: node))
                    }
                case .style, .noscript, .template:
                    break
                default:
                    let foreign = parents[parents.count - 1].foreign || tag == .svg || tag == .math
                    let element = document.createElement(tag, attributes: attributes(of: node, foreign: foreign))
                    document.append(element, to: parents[parents.count - 1].node)
                    if node.pointee.children != nil {
                        descend = true
                        parents.append((element, foreign))
                    }
                }
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let text = node.pointee.content, text.pointee != 0 {
                    document.append(document.createText(String(cString: text)), to: parents[parents.count - 1].node)
                }
            default:
                break
            }

            if descend {
                xmlParents.append(node)
                current = node.pointee.children
                continue
            }
            var step: xmlNodePtr? = node
            current = nil
            while let leaving = step {
                if let sibling = leaving.pointee.next {
                    current = sibling
                    break
                }
                step = xmlParents.popLast()
                if step != nil { parents.removeLast() }
            }
        }
        return document
    }

    private static func attributes(of node: xmlNodePtr, foreign: Bool) -> [Document.Attribute] {
        var result: [Document.Attribute] = []
        var attribute = node.pointee.properties
        while let current = attribute {
            defer { attribute = current.pointee.next }
            guard let rawName = current.pointee.name else { continue }
            let name = String(cString: rawName).lowercased()
            if foreign, name == "class" { continue }
            guard !result.contains(where: { $0.name == name }) else { continue }
            result.append(Document.Attribute(name: name, value: value(of: current)))
        }
        return result
    }

    /// An attribute's value as text (an XML or HTML tree's alike).
    static func value(of attribute: xmlAttrPtr) -> String {
        if let child = attribute.pointee.children, child.pointee.next == nil, child.pointee.type == XML_TEXT_NODE {
            return child.pointee.content.map { String(cString: $0) } ?? ""
        }
        guard let raw = xmlNodeGetContent(UnsafeMutableRawPointer(attribute).assumingMemoryBound(to: xmlNode.self)) else {
            return ""
        }
        defer { gloss_xml_free(raw) }
        return String(cString: raw)
    }

    private static func property(_ name: String, of node: xmlNodePtr) -> String? {
        guard let raw = xmlGetProp(node, name) else { return nil }
        defer { gloss_xml_free(raw) }
        return String(cString: raw)
    }

    private static func content(of node: xmlNodePtr) -> String {
        guard let raw = xmlNodeGetContent(node) else { return "" }
        defer { gloss_xml_free(raw) }
        return String(cString: raw)
    }
}
