import Foundation
import Testing
@testable import gloss

@Suite struct OutputTests {
    /// The arithmetic date agrees with Foundation's calendar, before and after 1970 and on leap days.
    @Test func datesMatchFoundationInUTC() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var seed: UInt64 = 7
        let samples: [Int64] = [0, -1, 951_782_400_000, 4_107_542_400_000, -2_208_988_800_001, 1_709_164_800_000]
            + (0..<500).map { _ in
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Int64(seed >> 22) - 2_000_000_000_000
            }
        for milliseconds in samples {
            let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
            let expected = String(format: "%04d-%02d-%02d %02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)
            #expect(Output.date(milliseconds: milliseconds) == expected, "\(milliseconds)")
        }
    }
    /// The ASCII shortcut measures and cuts cells exactly as counting characters does.
    @Test func cellWidthsAndCutsAgreeWithCharacterCounts() {
        let cells = ["", "plain title", "tab\tinside", "two\nlines here", "café au lait", "中文标题 and more", "e\u{301}", "🙂🙂🙂🙂"]
        for cell in cells {
            let flat = cell.split(whereSeparator: \.isNewline).joined(separator: " ")
            #expect(Output.width(flat) == flat.count, "\(cell)")
            for width in [1, 3, 5, 12, 40] {
                let expected = flat.count <= width ? flat : String(flat.prefix(max(1, width - 1))) + "…"
                #expect(Output.truncate(cell, width) == expected, "\(cell) at \(width)")
            }
        }
        // The values themselves, for the ASCII shortcut and for the character path.
        #expect(Output.width("plain title") == 11 && Output.truncate("plain title", 5) == "plai…")
        #expect(Output.truncate("plain title", 11) == "plain title")
        #expect(Output.width("café au lait") == 12 && Output.truncate("café au lait", 5) == "café…")
        #expect(Output.width("中文标题 and more") == 13 && Output.truncate("two\nlines here", 40) == "two lines here")
    }

    /// Years past 9999 keep all their digits.
    @Test func farDatesKeepTheirYear() {
        #expect(Output.date(milliseconds: 253_402_300_800_000) == "10000-01-01 00:00")
        #expect(Output.date(milliseconds: 253_402_300_799_999) == "9999-12-31 23:59")
    }

    /// A table pads every column but the last to its width (at least its header's), lets a wider
    /// cell push its row right, and cuts the last column to the terminal.
    @Test func tablesPadCutAndStartWithTheirHeader() {
        var table = Output.Table(["ID", "N", "TITLE"], widths: [4, 1])
        #expect(table.isEmpty)
        let last = max(10, Terminal.width - 9)
        let long = String(repeating: "x", count: last + 5)
        table.append(["ab", "7", "A title"])
        table.append(["abcdef", "12", long])
        #expect(!table.isEmpty)
        let lines = String(decoding: table.bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4 && lines[3].isEmpty)
        #expect(lines[0].contains("ID    N  TITLE"))  // bold on a terminal, plain here
        #expect(lines[1] == "ab    7  A title")
        #expect(lines[2] == "abcdef  12  " + String(repeating: "x", count: last - 1) + "…")
    }
}
