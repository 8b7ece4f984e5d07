import Foundation
import Testing
@testable import GlossExtraction

/// Inputs built to make a careless parser or scorer crash, recurse too deep or take quadratic
/// time: each must end quickly with an article or an ``ExtractionError``.
struct RobustnessTests {
    static let paragraph = "<p>A sentence of ordinary prose, long enough to be scored as part of an article, sits here.</p>"

    static let hostile: [(name: String, html: String)] = [
        ("100k nested divs", String(repeating: "<div>", count: 100_000) + paragraph),
        ("100k nested spans", String(repeating: "<span>", count: 100_000) + "text"),
        ("100k nested lists", String(repeating: "<ul><li>", count: 50_000) + paragraph),
        ("100k nested blockquotes", String(repeating: "<blockquote>", count: 100_000) + paragraph),
        ("unclosed tags", String(repeating: "<p><b><i><a href=x>", count: 20_000) + "words"),
        ("only angle brackets", String(repeating: "<", count: 200_000)),
        ("endless attribute", "<div class=\"" + String(repeating: "a", count: 500_000)),
        ("endless comment", "<p>x</p><!--" + String(repeating: "-", count: 200_000)),
        ("endless script", "<script>" + String(repeating: "</scrip", count: 30_000)),
        ("many entities", String(repeating: "&#x", count: 60_000) + String(repeating: "&amp", count: 60_000)),
        ("many brs", "<div>" + String(repeating: "word<br><br>", count: 50_000) + "</div>"),
        ("wide table", "<table><tr>" + String(repeating: "<td>cell, with a comma</td>", count: 20_000) + "</tr></table>"),
        ("many siblings", String(repeating: paragraph, count: 10_000)),
        ("bad JSON-LD", "<script type=\"application/ld+json\">" + String(repeating: "[", count: 100_000) + "</script>" + paragraph),
        ("NUL-free control noise", String(repeating: "\u{1}\u{2}<p>\u{7F}", count: 10_000)),
    ]

    @Test(arguments: hostile.map(\.name))
    func hostileInputEndsQuickly(name: String) {
        let html = Self.hostile.first { $0.name == name }!.html
        let start = ContinuousClock.now
        _ = try? HTMLExtractor.extract(text: html)
        #expect(ContinuousClock.now - start < .seconds(20), "\(name) took \(ContinuousClock.now - start)")
    }

    @Test func deeplyNestedArticleIsReadToTheParsersDepthLimit() throws {
        let html = String(repeating: "<div>", count: 100_000) + String(repeating: Self.paragraph, count: 10)
        // libxml2 gives up below 256 levels: what lies deeper is lost, and that is reported.
        #expect(throws: ExtractionError.noArticleText) { try HTMLExtractor.extract(text: html) }
        let shallow = String(repeating: "<div>", count: 200) + String(repeating: Self.paragraph, count: 10)
        #expect(try HTMLExtractor.extract(text: shallow).text.hasPrefix("A sentence of ordinary prose"))
    }

    @Test func absurdNumbersInAttributesDoNotOverflow() throws {
        let max = "9223372036854775807"
        let html = """
            <html><body><article>\(String(repeating: Self.paragraph, count: 8))
            <ol start="\(max)"><li>first item</li><li>second item</li></ol>
            <table><tr rowspan="\(max)"><td colspan="\(max)">a</td><td colspan="\(max)">b</td></tr>
            <tr rowspan="\(max)"><td>c</td><td>d</td></tr></table>
            </article></body></html>
            """
        let text = try HTMLExtractor.extract(text: html).text
        #expect(text.contains("1000000. first item\n\n1000001. second item"))
    }

    @Test func gigantic50MegabytePageIsRefusedAtOnce() {
        let bytes = [UInt8](repeating: UInt8(ascii: " "), count: 50 * 1_048_576)
        let start = ContinuousClock.now
        #expect(throws: ExtractionError.tooLarge(bytes: bytes.count, limit: HTMLExtractor.maximumSize)) {
            try HTMLExtractor.extract(bytes)
        }
        #expect(ContinuousClock.now - start < .seconds(1))
    }

    /// Each broken encoding gets the outcome its rule gives: an error saying what to do, or text
    /// with U+FFFD where bytes could not be read, never a crash or an empty article.
    @Test func brokenEncodingsGetAnErrorOrText() throws {
        // A byte-order mark that says UTF-8 is believed, so bytes that are not UTF-8 are an error.
        let lyingMark = [0xEF, 0xBB, 0xBF] + Array("<p>Caf".utf8) + [0xE9] + Array(" au lait.</p>".utf8)
        do {
            _ = try HTMLExtractor.extract(lyingMark)
            Issue.record("a page whose byte-order mark lies was read")
        } catch {
            #expect(error.description.contains("byte-order mark declares UTF-8"))
            #expect(error.description.contains("iconv"))
        }
        // A charset iconv does not know falls back to windows-1252.
        let unknown = Array("<meta charset=\"x-unknown-charset\"><p>Caf".utf8) + [0xE9] + Array(" noir.</p>".utf8)
        #expect(try HTMLExtractor.extract(unknown).text == "Café noir.")
        // UTF-16 cut mid-unit, and unpaired surrogates: what cannot be read becomes U+FFFD.
        #expect(try HTMLExtractor.extract([0xFF, 0xFE, 0x3C]).text == "\u{FFFD}")
        let surrogates = [0xFE, 0xFF] + [UInt8](repeating: 0xD8, count: 64)
        let unpaired = try HTMLExtractor.extract(surrogates).text
        #expect(!unpaired.isEmpty && unpaired.allSatisfy { $0 == "\u{FFFD}" })
        // Overlong and out-of-range UTF-8 with no declaration is not UTF-8, so it reads as
        // windows-1252, whose one unassigned byte here (0x90) becomes U+FFFD.
        let overlong = Array("<p>".utf8) + [0xC0, 0xAF, 0xED, 0xA0, 0x80, 0xF4, 0x90, 0x80, 0x80] + Array("</p>".utf8)
        #expect(try HTMLExtractor.extract(overlong).text == "À¯í €ô\u{FFFD}€€")
    }
}
