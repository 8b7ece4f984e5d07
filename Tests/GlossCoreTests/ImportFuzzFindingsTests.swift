import Foundation
import Testing
@testable import GlossCore

/// Inputs scripts/fuzz-import found that stopped the program, kept so they never do again.
@Suite struct ImportFuzzFindingsTests {
    /// A combining mark (U+05AF) where "AM" should be made Foundation's date formatter trap
    /// ("Incorrect range CFRange"); the clipping is now imported without a time.
    @Test func aKindleDateWithACombiningMarkIsNoDateNotACrash() throws {
        let clippings = "Tides (A. Marsh)\n- Your Highlight at location 88-90 | Added on Tuesday, March 5, 2024 9:01:00\u{05AF}M\n\nEvery harbour wall.\n==========\n"
        #expect(KindleClippings.added("- Your Highlight at location 88-90 | Added on Tuesday, March 5, 2024 9:01:00\u{05AF}M") == nil)
        let document = try AnnotationImport.parse(Data(clippings.utf8))
        let item = try #require(try document.items.first?.get())
        #expect(item.exact == "Every harbour wall." && item.created == nil)
        // An ordinary date still reads.
        #expect(KindleClippings.added("- Your Highlight | Added on Tuesday, March 5, 2024 9:01:00 AM") == 1_709_629_260_000)
    }
}
