import Testing
import GlossCore

/// GlossCore states facts; which command or flag to use is for the program on top to say.
@Suite struct GlossErrorTests {
    static let every: [GlossError] = [
        .notAGlossStore(path: "/tmp/x.sqlite"), .storeDamaged(path: "/tmp/x.sqlite"),
        .storeUnreadable(path: "/tmp/x.sqlite", reason: "disk I/O error"), .unknownID("abcd"),
        .ambiguousID("ab", candidates: ["ab12", "ab34"]), .invalidID("zz"), .wrongKind(id: "ab12", expected: "an article"),
        .emptyText, .emptyQuote, .quoteNotFound(quote: "a submarine", articleTitle: "Bridge"),
        .ambiguousQuote(quote: "the bridge", occurrences: 3), .occurrenceOutOfRange(requested: 4, occurrences: 3),
        .noConflict(entityID: "ab12", field: "note"), .conflictValueOutOfRange(requested: 3, values: 2),
        .deleteConflictNeedsAChoice(values: 2),
        .invalidChange("counter 0"),
    ]

    @Test(arguments: every) func messagesNameNoFlagOrCommand(_ error: GlossError) {
        let message = error.description
        #expect(!message.contains("--"), "\(message)")
        #expect(!message.contains("'gloss "), "\(message)")
        #expect(!message.isEmpty)
    }

    @Test func aDamagedStoreIsToldApartFromAForeignFile() {
        #expect(GlossError.storeDamaged(path: "/s/gloss.sqlite").description.contains("damaged"))
        #expect(GlossError.notAGlossStore(path: "/s/diary.sqlite").description.contains("not a Gloss store"))
    }
}
