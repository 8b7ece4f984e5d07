/// An article's text prepared once for anchoring many highlights in it: folded for the
/// re-anchoring search, and split into scalars for quoting ranges back. Folding looks up Unicode
/// properties scalar by scalar, so a caller anchoring many highlights in one article (an import,
/// a new version of the text) makes one of these per article, not one per highlight.
struct AnchoringText {
    let article: Article
    private let locator: QuoteLocator
    private let page: Reanchorer.FoldedPage

    init(_ article: Article) {
        self.article = article
        locator = QuoteLocator(text: article.text)
        page = Reanchorer.FoldedPage(article.text)
    }

    /// Where `anchor`, made against this or an older text, lands in this one.
    func locate(_ anchor: TextAnchor) -> Reanchoring {
        Reanchorer.locate(anchor, in: page)
    }

    /// A full anchor (quote, context, positions, this text's hash) for a scalar range of the text.
    func anchor(_ range: Range<Int>) -> TextAnchor {
        locator.anchor(range, contentHash: article.contentHash)
    }

    /// The text of a scalar range.
    func text(_ range: Range<Int>) -> String {
        locator.text(range)
    }
}
