/// How much of an input's text an extracted article keeps, counted in characters that are not
/// whitespace: of the decoded text for plain text and Markdown, of the text a reader could see
/// for an HTML page (not its markup, scripts or styles).
///
/// Extraction drops furniture on purpose, so a small share is normal for a short page; a small
/// share of a large input means the body is probably a fragment of what the reader wanted (a
/// long document that is not shaped like an article, or a page whose story was missed).
public struct ExtractionCoverage: Sendable, Equatable, Codable {
    /// Characters of text in the input.
    public var inputCharacters: Int
    /// Characters of text in the article's body.
    public var keptCharacters: Int

    /// Inputs with fewer characters than this are never said to be partly kept.
    public static let largeInput = 20_000
    /// The share below which a large input is said to be partly kept.
    public static let smallShare = 0.10

    public init(inputCharacters: Int, keptCharacters: Int) {
        self.inputCharacters = inputCharacters
        self.keptCharacters = keptCharacters
    }

    /// The share of the input's characters the body keeps, from 0 to 1.
    public var share: Double {
        inputCharacters == 0 ? 1 : min(1, Double(keptCharacters) / Double(inputCharacters))
    }

    /// True when the input is large and the body keeps less than ``smallShare`` of it.
    public var isPartial: Bool {
        inputCharacters >= Self.largeInput && share < Self.smallShare
    }

    /// The characters of `text` that are not whitespace.
    static func characters(in text: some StringProtocol) -> Int {
        // ASCII answered by value: the property lookup was a twentieth of a plain-text extraction.
        text.unicodeScalars.count { !$0.isSpace }
    }

    // MARK: - Codable

    enum CodingKeys: String, CodingKey {
        case inputCharacters, keptCharacters, share, isPartial
    }

    /// Writes the two counts and, for a reader of the JSON, the share and the judgement.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(inputCharacters, forKey: .inputCharacters)
        try container.encode(keptCharacters, forKey: .keptCharacters)
        try container.encode((share * 10_000).rounded() / 10_000, forKey: .share)
        try container.encode(isPartial, forKey: .isPartial)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        inputCharacters = try container.decode(Int.self, forKey: .inputCharacters)
        keptCharacters = try container.decode(Int.self, forKey: .keptCharacters)
    }
}
