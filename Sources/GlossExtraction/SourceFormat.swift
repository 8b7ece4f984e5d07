/// The kind of text an import starts from.
public enum SourceFormat: String, Sendable, Codable, CaseIterable {
    case plainText = "text"
    case markdown
    case html
    case pdf
    case epub
}
