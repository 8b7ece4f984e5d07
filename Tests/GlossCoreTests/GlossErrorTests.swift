import Foundation
import Testing
import GlossCore
import GlossExtraction
import GlossTestSupport

/// GlossCore states facts; which command or flag to use is for the program on top to say.
@Suite struct GlossErrorTests {
    static let importDefects: [GlossError.ImportDefect] = [
        .notAnObject, .notAnAnnotation, .noTarget, .unanchorableSelectors(types: ["XPathSelector", "untyped"]),
        .incompleteArticle, .articleIDMismatch(id: "ab12cd34"), .noArticle(target: "https://example.com/a", hasQuote: true),
        .noArticle(target: nil, hasQuote: false), .quoteInSeveralArticles(titles: ["Bridge", "Harbour"]),
    ]

    static let dot = Dot(replica: ReplicaID(String(repeating: "ab", count: 16))!, counter: 7)

    static let changeDefects: [GlossError.ChangeDefect] = [
        .zeroCounter(dot), .counterTooLarge(dot), .stampedAhead(dot, milliseconds: 1_800_000_000_000, now: 1_700_000_000_000),
        .noOperation(dot), .malformedID(dot, type: .article, id: "zz"), .malformedFieldName(dot), .seesItself(dot),
        .typeMismatch(dot, entityID: "ab12", written: .annotation, stored: .article), .rewritten(dot), .unsigned(dot), .badSignature(dot),
        .signedByAnotherKey(dot), .malformedSignature(dot), .incompleteBatch(dot, first: 3), .unreadableLogRow,
        .backupMalformedID(type: .annotation, id: "zz"), .backupMalformedArticleID(annotation: "ab12", article: "zz"),
        .backupUnknownField(type: .annotation, id: "ab12", field: "mood"),
    ]

    static let every: [GlossError] = [
        .notAGlossStore(path: "/tmp/x.sqlite"), .storeDamaged(path: "/tmp/x.sqlite"),
        .storeUnreadable(path: "/tmp/x.sqlite", reason: "disk I/O error"), .unknownID("abcd"),
        .ambiguousID("ab", candidates: ["ab12", "ab34"]), .invalidID("zz"), .wrongKind(id: "ab12", expected: "an article"),
        .emptyText, .emptyQuote, .quoteNotFound(quote: "a submarine", articleTitle: "Bridge"),
        .ambiguousQuote(quote: "the bridge", occurrences: 3), .occurrenceOutOfRange(requested: 4, occurrences: 3),
        .noConflict(entityID: "ab12", field: "note"), .conflictValueOutOfRange(requested: 3, values: 2),
        .deleteConflictNeedsAChoice(values: 2),
        .emptySearch, .emptyNote, .noTags, .unknownColor("mauve", known: ["yellow", "green"]), .invalidTag(""),
        .invalidName(kind: .token, length: 0), .invalidName(kind: .replica, length: 65),
        .incompleteRemote(lacksURL: true, lacksToken: false), .anchorOutOfRange(start: 5, end: 2),
        .textChanged(articleID: "ab12"), .snapshotTooNew(migration: "v99_future"),
        .signingKeyMismatch(replica: dot.replica), .importNotUTF8, .importNotJSON(reason: "unexpected end of file"),
        .unsupportedExportVersion(found: "9", readable: 1...2), .unsupportedExportVersion(found: nil, readable: 1...2),
        .incompleteExport(reason: "keyNotFound"),
    ] + importDefects.map(GlossError.importItem) + changeDefects.map(GlossError.invalidChange)

    /// Each case's place in the declaration. The switch is exhaustive, so a new case does not
    /// compile here until it has a number, and `everyCaseIsChecked` fails until `every` holds it.
    static func ordinal(_ error: GlossError) -> Int {
        switch error {
        case .notAGlossStore: 0
        case .storeDamaged: 1
        case .storeUnreadable: 2
        case .unknownID: 3
        case .ambiguousID: 4
        case .invalidID: 5
        case .wrongKind: 6
        case .emptyText: 7
        case .emptyQuote: 8
        case .quoteNotFound: 9
        case .ambiguousQuote: 10
        case .occurrenceOutOfRange: 11
        case .noConflict: 12
        case .conflictValueOutOfRange: 13
        case .deleteConflictNeedsAChoice: 14
        case .emptySearch: 15
        case .emptyNote: 16
        case .noTags: 17
        case .unknownColor: 18
        case .invalidTag: 19
        case .invalidName: 20
        case .incompleteRemote: 21
        case .anchorOutOfRange: 22
        case .textChanged: 23
        case .snapshotTooNew: 24
        case .importNotUTF8: 25
        case .importNotJSON: 26
        case .unsupportedExportVersion: 27
        case .incompleteExport: 28
        case .importItem: 29
        case .invalidChange: 30
        case .signingKeyMismatch: 31
        }
    }

    @Test func everyCaseIsChecked() {
        #expect(Set(Self.every.map(Self.ordinal)) == Set(0...31))
    }

    @Test(arguments: every) func messagesNameNoFlagOrCommand(_ error: GlossError) {
        let message = error.description
        #expect(!message.contains("--"), "\(message)")
        #expect(!message.contains("'gloss "), "\(message)")
        #expect(!message.contains("gloss import") && !message.contains("gloss export"), "\(message)")
        #expect(!message.isEmpty)
    }

    @Test func aDamagedStoreIsToldApartFromAForeignFile() {
        #expect(GlossError.storeDamaged(path: "/s/gloss.sqlite").description.contains("damaged"))
        #expect(GlossError.notAGlossStore(path: "/s/diary.sqlite").description.contains("not a Gloss store"))
    }

    /// The facts come out in the words a person read before they were facts.
    @Test func descriptionsSayTheFacts() {
        #expect(GlossError.unknownColor("Mauve", known: ["yellow", "green"]).description
                == "unknown colour 'Mauve'. Use one of: yellow, green.")
        #expect(GlossError.invalidName(kind: .token, length: 0).description == "a token name must be 1 to 64 characters")
        #expect(GlossError.invalidName(kind: .replica, length: 65).description == "a replica name must be 1 to 64 characters")
        #expect(GlossError.unsupportedExportVersion(found: "9", readable: 1...2).description
                == "the file is a Gloss export of version 9, which this Gloss cannot read (it reads 1 to 2); nothing was imported")
        #expect(GlossError.unsupportedExportVersion(found: nil, readable: 1...2).description.contains("version unknown,"))
        #expect(GlossError.importItem(.noArticle(target: "https://x.org/a", hasQuote: true)).description
                == "no article in this store matches https://x.org/a or holds its quote: add the article first")
        #expect(GlossError.importItem(.noArticle(target: nil, hasQuote: false)).description
                == "no article in this store matches its target: add the article first")
        #expect(GlossError.importItem(.quoteInSeveralArticles(titles: ["A", "B"])).description
                == "its quote is in 2 articles (A; B): give its source URL to say which")
        #expect(GlossError.anchorOutOfRange(start: 5, end: 2).description == "an anchor's range 5..<2 is not a range of the text")
        #expect(GlossError.invalidChange(.malformedID(Self.dot, type: .article, id: String(repeating: "z", count: 500))).description
                == "rejected a change: \(Self.dot) names a malformed article id '\(String(repeating: "z", count: 80))'. Nothing from this batch was applied.")
        #expect(GlossError.invalidChange(.backupUnknownField(type: .annotation, id: "ab12", field: "mood")).description
                == "rejected a change: annotation ab12 has a field 'mood' that annotations do not have. Nothing from this batch was applied.")
    }

    /// Each rule the store keeps on input throws the case that names it, with what was given.
    @Test func storeRulesThrowTheirFacts() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let article = try store.addArticle(ExtractedArticle(title: "Bridge", text: "The bridge opened in 1887.", format: .plainText)).id
        #expect(throws: GlossError.emptySearch) { try store.search("tag:history in:notes") }
        #expect(throws: GlossError.unknownColor("Mauve", known: Store.colors)) {
            try store.highlight(articleID: article, quote: "bridge", color: "Mauve")
        }
        #expect(throws: GlossError.invalidTag("   ")) { try store.setTags(article, ["   "]) }
        #expect(throws: GlossError.noTags) { try store.setTags(article, []) }
        #expect(throws: GlossError.invalidName(kind: .token, length: 0)) { try store.createToken(name: "  ") }
        #expect(throws: GlossError.invalidName(kind: .replica, length: 65)) {
            try store.setReplicaName(String(repeating: "r", count: 65))
        }
        #expect(throws: GlossError.incompleteRemote(lacksURL: true, lacksToken: false)) {
            try store.saveRemote("", token: "gloss_abc")
        }
        #expect(throws: GlossError.incompleteRemote(lacksURL: false, lacksToken: true)) {
            try store.saveRemote("https://example.com", token: "")
        }
        let backwards = TextAnchor(exact: "x", prefix: "", suffix: "", start: 5, end: 2, contentHash: "")
        #expect(throws: GlossError.anchorOutOfRange(start: 5, end: 2)) {
            try store.record([AnnotationDraft(articleID: article, anchor: backwards)])
        }
        #expect(try store.annotations().isEmpty)
    }
}
