import Foundation
public import GlossExtraction

/// What extracting one article again from its kept original did.
public struct ReextractOutcome: Hashable, Sendable, Encodable {
    public enum Status: String, Hashable, Sendable, Encodable {
        /// The new extraction changed the text (or title); highlights were located again.
        case updated
        /// The new extraction gave the same text and title.
        case unchanged
        /// The store keeps no original for the article.
        case skipped
        /// The original could not be read or extracted; the article is as it was.
        case failed
    }
    public var id: String
    public var title: String
    public var status: Status
    /// Highlights located again in the new text, and those left orphaned (when updated).
    public var reanchored: Int?
    public var orphaned: Int?
    /// Why it was skipped or failed.
    public var reason: String?
}

extension Store {
    /// Extracts the article `id` again from its kept original with this version's extractor and
    /// replaces its text with the result, locating every highlight again
    /// (`replaceText(of:with:)`). An original that cannot be read or extracted is the outcome,
    /// not an error, so a caller working through many articles goes on; a failure of the store
    /// itself throws.
    public func reextract(_ id: String) throws -> ReextractOutcome {
        var outcome = ReextractOutcome(id: id, title: try article(id).title, status: .failed)
        let record: OriginalRecord, bytes: [UInt8]
        do {
            (record, bytes) = try original(of: id)
        } catch OriginalError.noOriginal {
            outcome.status = .skipped
            outcome.reason = "no original kept: added by hand, imported without its page, or synced from a replica that does not send its originals"
            return outcome
        } catch let error as OriginalError {
            outcome.reason = error.description
            return outcome
        }
        let extracted: ExtractedArticle
        do {
            extracted = try Self.extract(record, bytes)
        } catch {
            outcome.reason = "the extractor finds no article in it now: \(error.description)"
            return outcome
        }
        let result: AddResult
        do {
            result = try replaceText(of: id, with: extracted)
        } catch GlossError.emptyText {
            outcome.reason = "the extractor finds no text in it now"
            return outcome
        }
        outcome.title = result.title
        outcome.status = result.status == .updated ? .updated : .unchanged
        if result.status == .updated { (outcome.reanchored, outcome.orphaned) = (result.reanchored, result.orphaned) }
        return outcome
    }

    /// The article in an original, read as it was when it was kept.
    static func extract(_ record: OriginalRecord, _ bytes: [UInt8]) throws(ExtractionError) -> ExtractedArticle {
        if record.format == .html { return try ArticleExtractor.extract(html: bytes, charset: record.charset) }
        return try ArticleExtractor.extract(data: Data(bytes), filename: record.source, format: record.format)
    }
}
