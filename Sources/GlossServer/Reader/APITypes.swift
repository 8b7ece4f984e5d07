import GlossCore

/// The JSON the API answers with (`Schema/OpenAPI/openapi.json` describes each). Ids are full;
/// `shortId` is what to show. Times are milliseconds since 1970.
enum API {
    struct Session: Encodable {
        struct Replica: Encodable { var id: String, name: String }
        var csrfToken: String?
        var replica: Replica
    }

    struct Version: Encodable { var version: String }

    struct ArticleSummary: Encodable {
        var id: String, shortId: String, title: String
        var url: String?, site: String?, published: String?
        var savedAt: Int64, words: Int, tags: [String]
        var annotations: Int, highlights: Int, notes: Int

        init(_ summary: GlossCore.ArticleSummary, short: ShortIDs) {
            id = summary.id
            shortId = short(summary.id)
            title = summary.title
            url = summary.url
            site = summary.siteName
            published = summary.published
            savedAt = summary.savedAt
            words = summary.words
            tags = summary.tags
            annotations = summary.annotationCount
            highlights = summary.highlightCount
            notes = summary.noteCount
        }
    }

    struct ArticlePage: Encodable { var articles: [ArticleSummary], next: String? }

    struct Article: Encodable {
        var id: String, shortId: String, title: String
        var url: String?, byline: String?, site: String?, published: String?
        var savedAt: Int64, words: Int, tags: [String], contentHash: String
    }

    struct Reading: Encodable {
        var article: Article
        var blocks: [ArticleLayout.Block]
        var annotations: [Annotation]
        var notes: [Annotation]
        var orphans: [Annotation]
    }

    struct Annotation: Encodable {
        var id: String, shortId: String, articleId: String, kind: String
        var quote: String?, start: Int?, end: Int?
        var note: String?, color: String?, tags: [String]
        var createdAt: Int64, modifiedAt: Int64
        var articleTitle: String?

        init(_ annotation: GlossCore.Annotation, short: ShortIDs, articleTitle: String? = nil) {
            id = annotation.id
            shortId = short(annotation.id)
            articleId = annotation.articleID
            kind = annotation.kind.rawValue
            quote = annotation.anchor?.exact
            start = annotation.anchor?.start
            end = annotation.anchor?.end
            note = annotation.note
            color = annotation.color
            tags = annotation.tags
            createdAt = annotation.createdAt
            modifiedAt = annotation.modifiedAt
            self.articleTitle = articleTitle
        }
    }

    struct AnnotationPage: Encodable { var annotations: [Annotation], next: String? }
    struct OneAnnotation: Encodable { var annotation: Annotation }
    struct Tags: Encodable { var tags: [String] }
    struct TagList: Encodable { var tags: [TagCount] }

    struct SearchHit: Encodable {
        struct Segment: Encodable { var text: String, match: Bool }
        var kind: String, id: String, articleId: String, articleTitle: String
        var snippet: [Segment]
    }

    struct SearchResults: Encodable { var hits: [SearchHit] }

    struct Conflict: Encodable {
        struct Sibling: Encodable {
            var index: Int, value: String, replica: String
            var replicaName: String?
            var time: UInt64, shown: Bool
        }
        var entityId: String, shortId: String, entityType: String, field: String, label: String
        var articleId: String?
        var siblings: [Sibling]
    }

    struct Conflicts: Encodable { var conflicts: [Conflict] }
    struct Resolved: Encodable { var resolved: Bool }

    struct Remote: Encodable {
        var target: String, kind: String
        var lastSync: Int64?
    }
    struct Remotes: Encodable { var remotes: [Remote] }

    struct SyncOutcome: Encodable {
        struct Ref: Encodable { var entityId: String, field: String }
        var sent: Int, received: Int, conflicts: [Ref], warnings: [String]
    }

    struct ArticleRef: Encodable { var id: String, shortId: String, title: String }
    struct Added: Encodable {
        var article: ArticleRef
        var created: Bool
        var link: String?
    }

    struct CaptureToken: Encodable { var token: String, id: String, endpoint: String }
    struct TokenInfo: Encodable { var id: String, name: String, createdAt: Int64 }
    struct CaptureTokens: Encodable { var tokens: [TokenInfo] }

    // MARK: - Requests

    struct NewAnnotation: Decodable {
        var articleId: String
        var kind: String?
        var start: Int?
        var end: Int?
        var contentHash: String?
        var color: String?
        var note: String?
        var tags: [String]?
    }

    struct AnnotationEdit: Decodable {
        var note: String?
        var color: String?
        var tags: [String]?
    }

    struct TagSet: Decodable { var tags: [String] }

    struct Resolution: Decodable {
        var entityId: String
        var field: String
        var keep: Int?
        var value: String?
    }

    struct SyncRequest: Decodable { var target: String }

    struct NewArticle: Decodable {
        var url: String?
        var text: String?
        var html: String?
        var markdown: String?
        var title: String?
        var filename: String?
        var tags: [String]?
    }
}
