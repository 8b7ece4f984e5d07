public import GlossCore
import GlossExtraction

/// What a person writes in a short session, for the encryption tests' leak checks: two articles,
/// a highlight with a note, a note and tags, holding `secrets` (a title, a sentence of the text,
/// a note, tag names) that no byte of a shared folder or relay may show once sealed.
public enum PrivateSession {
    public static let secrets = ["Harbor Lights Over Valparaíso", "the lamplighter counted seventeen gulls",
                                 "marginalia about the quiet tide", "tidepoolsecret", "lamplighterlore"]

    /// Writes the session into `store`.
    public static func write(_ store: Store) throws {
        let text = "In the old port, the lamplighter counted seventeen gulls every evening. " + sampleText
        let article = try store.addArticle(ExtractedArticle(title: secrets[0], text: text, format: .plainText))
        _ = try store.addArticle(ExtractedArticle(title: "Second piece", text: sampleText + " Another paragraph.", format: .plainText))
        let highlight = try store.highlight(articleID: article.id, quote: "seventeen gulls", note: secrets[2])
        _ = try store.addNote(articleID: article.id, text: "A plain note beside it")
        _ = try store.setTags(article.id, [secrets[3]])
        _ = try store.setTags(highlight.id, [secrets[4]])
    }
}
