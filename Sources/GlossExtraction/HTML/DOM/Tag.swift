/// An element's name, as one of the tags extraction tells apart, or ``other``.
///
/// The parser lowercases names; every name not listed here (custom elements, SVG and MathML
/// children, typos) is ``other`` and treated as inline text.
enum Tag: UInt8, Sendable {
    case other
    case a, abbr, address, area, article, aside, audio, b, base, bdi, bdo, big, blockquote, body, br, button
    case canvas, caption, center, cite, code, col, colgroup, data, datalist, dd, del, details, dfn, dialog, dir
    case div, dl, dt, em, embed, fieldset, figcaption, figure, font, footer, form, frame, frameset
    case h1, h2, h3, h4, h5, h6, head, header, hgroup, hr, html, i, iframe, img, input, ins, kbd, label
    case legend, li, link, listing, main, map, mark, math, menu, meta, meter, nav, noembed, noframes, noscript
    case object, ol, optgroup, option, output, p, param, picture, plaintext, pre, progress, q, rp, rt, ruby
    case s, samp, script, section, select, small, source, span, strike, strong, style, sub, summary, sup, svg
    case table, tbody, td, template, textarea, tfoot, th, thead, time, title, tr, track, tt, u, ul, `var`
    case video, wbr, xmp

    /// The tag a lowercased element name stands for.
    init(name: String) {
        self = Self.byName[name] ?? .other
    }

    private static let byName: [String: Tag] = {
        var table: [String: Tag] = [:]
        var raw: UInt8 = 1
        while let tag = Tag(rawValue: raw) {
            table[String(describing: tag)] = tag
            raw += 1
        }
        return table
    }()

    var isHeading: Bool {
        switch self {
        case .h1, .h2, .h3, .h4, .h5, .h6: true
        default: false
        }
    }

    /// The heading level, 1 to 6, or nil for any other tag.
    var headingLevel: Int? {
        switch self {
        case .h1: 1
        case .h2: 2
        case .h3: 3
        case .h4: 4
        case .h5: 5
        case .h6: 6
        default: nil
        }
    }

    /// Elements that are phrasing content whatever they hold (links, `<del>` and `<ins>` are
    /// phrasing only when their children are).
    var isPhrasing: Bool {
        switch self {
        case .abbr, .audio, .b, .bdo, .br, .button, .cite, .code, .data, .datalist, .dfn, .em, .embed, .i, .img,
             .input, .kbd, .label, .mark, .math, .meter, .noscript, .object, .output, .progress, .q, .ruby, .samp,
             .script, .select, .small, .span, .strong, .sub, .sup, .textarea, .time, .var, .wbr:
            true
        default:
            false
        }
    }

    /// Elements that make a `<div>` more than a paragraph when they appear inside it.
    var isBlockInsideDiv: Bool {
        switch self {
        case .blockquote, .dl, .div, .img, .ol, .p, .pre, .table, .ul: true
        default: false
        }
    }

    /// Elements that start a new block of text when rendered.
    var isBlock: Bool {
        switch self {
        case .address, .article, .aside, .blockquote, .body, .caption, .center, .dd, .details, .dialog, .dir, .div,
             .dl, .dt, .fieldset, .figcaption, .figure, .footer, .form, .frameset, .h1, .h2, .h3, .h4, .h5, .h6,
             .header, .hgroup, .hr, .html, .legend, .li, .listing, .main, .menu, .nav, .ol, .p, .plaintext, .pre,
             .section, .summary, .table, .tbody, .td, .tfoot, .th, .thead, .tr, .ul, .xmp, .option, .optgroup:
            true
        default:
            false
        }
    }
}

/// A set of tags as a bitmap: membership is a shift and a mask, no hashing.
struct TagSet: ExpressibleByArrayLiteral, Sendable {
    private var low: UInt64 = 0
    private var middle: UInt64 = 0
    private var high: UInt64 = 0

    init(arrayLiteral tags: Tag...) {
        for tag in tags { insert(tag) }
    }

    mutating func insert(_ tag: Tag) {
        let value = Int(tag.rawValue)
        switch value {
        case 0..<64: low |= 1 << UInt64(value)
        case 64..<128: middle |= 1 << UInt64(value - 64)
        default: high |= 1 << UInt64(value - 128)
        }
    }

    @inline(__always)
    func contains(_ tag: Tag) -> Bool {
        let value = Int(tag.rawValue)
        switch value {
        case 0..<64: return low & (1 << UInt64(value)) != 0
        case 64..<128: return middle & (1 << UInt64(value - 64)) != 0
        default: return high & (1 << UInt64(value - 128)) != 0
        }
    }
}
