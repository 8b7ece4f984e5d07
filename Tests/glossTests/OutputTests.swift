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
    }
}
