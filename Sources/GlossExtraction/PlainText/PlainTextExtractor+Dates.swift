import Foundation

/// Calendar dates as news pages write them (English month names and abbreviations, full month
/// names of the main European languages and Indonesian, numeric forms, 2024年3月18日), made ISO 8601.
extension PlainTextExtractor {
    /// Words between day, month and year: "28th of December", "8 de mayo de 2024".
    static let dayMonthConnectors: Set<String> = ["of", "de", "del"]

    /// The first calendar date the text states, as "yyyy-MM-dd"; nil when it states none or only
    /// an ambiguous one (05/06/2023).
    static func isoDate(in text: some StringProtocol) -> String? {
        let tokens = Token.scan(Substring(text))
        for index in tokens.indices {
            if let date = date(at: index, in: tokens) { return date }
        }
        return nil
    }

    /// A full ISO 8601 timestamp as given, else the date `isoDate(in:)` finds.
    static func isoTimestamp(_ text: String) -> String? {
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let characters = Array(value)
        let shape = Array("dddd-dd-ddTdd:dd")
        if characters.count >= shape.count, characters.count <= 35,
           zip(shape, characters).allSatisfy({ $0 == "d" ? $1.isASCII && $1.isNumber : $0 == $1 || ($0 == "T" && $1 == " ") }),
           characters.dropFirst(shape.count).allSatisfy({ ($0.isASCII && $0.isNumber) || ":.+-Z".contains($0) }),
           isoDate(in: value.prefix(10)) != nil {
            return value
        }
        guard value.count <= 80 else { return nil }
        return isoDate(in: value)
    }

    static func date(at index: Int, in tokens: [Token]) -> String? {
        func token(_ offset: Int) -> Token? {
            index + offset < tokens.count ? tokens[index + offset] : nil
        }
        func number(_ token: Token?, digits: ClosedRange<Int>) -> Int? {
            guard let token, token.kind == .number, digits.contains(token.text.count) else { return nil }
            return Int(token.text)
        }
        let first = tokens[index]
        if first.kind == .number {
            let parts = first.text.split(separator: ".", omittingEmptySubsequences: false)
            if parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) {
                if parts[0].count == 4 { return ymd(Int(parts[0]), Int(parts[1]), Int(parts[2])) }
                if parts[2].count == 4, parts[0].count <= 2, parts[1].count <= 2 {
                    return ymd(Int(parts[2]), Int(parts[1]), Int(parts[0]))
                }
            }
            // 2024年3月18日, as Chinese and Japanese write dates.
            if let year = number(first, digits: 4...4), token(1)?.text == "年", let month = number(token(2), digits: 1...2),
               token(3)?.text == "月", let day = number(token(4), digits: 1...2), token(5)?.text == "日" {
                return ymd(year, month, day)
            }
            if let year = number(first, digits: 4...4), let separator = token(1), ["-", "/"].contains(separator.text),
               let month = number(token(2), digits: 1...2), token(3)?.text == separator.text,
               let day = number(token(4), digits: 1...2) {
                return ymd(year, month, day)
            }
            if let a = number(first, digits: 1...2), let separator = token(1), ["/", "-", "."].contains(separator.text),
               let b = number(token(2), digits: 1...2), token(3)?.text == separator.text,
               let year = number(token(4), digits: 4...4) {
                if a == b || (a > 12 && b <= 12) { return ymd(year, b, a) }
                if b > 12 && a <= 12 { return ymd(year, a, b) }
                return nil
            }
            if let day = number(first, digits: 1...2) {
                var offset = 1
                if let suffix = token(offset), Lexicon.ordinals.contains(suffix.text.lowercased()), !suffix.spaceBefore { offset += 1 }
                if token(offset)?.text == ".", token(offset)?.spaceBefore == false { offset += 1 }
                if let connector = token(offset)?.text.lowercased(), Self.dayMonthConnectors.contains(connector) { offset += 1 }
                guard let name = token(offset), name.kind == .word, let month = Lexicon.month(name.text.lowercased()) else { return nil }
                offset += 1
                while let punctuation = token(offset), [".", ","].contains(punctuation.text) { offset += 1 }
                if let connector = token(offset)?.text.lowercased(), Self.dayMonthConnectors.contains(connector) { offset += 1 }
                guard let year = number(token(offset), digits: 4...4) else { return nil }
                return ymd(year, month, day)
            }
            return nil
        }
        guard first.kind == .word, let month = Lexicon.month(first.text.lowercased()) else { return nil }
        var offset = 1
        if token(offset)?.text == "." { offset += 1 }
        guard let day = number(token(offset), digits: 1...2) else { return nil }
        offset += 1
        if let suffix = token(offset), Lexicon.ordinals.contains(suffix.text.lowercased()), !suffix.spaceBefore { offset += 1 }
        if token(offset)?.text == "," { offset += 1 }
        guard let year = number(token(offset), digits: 4...4) else { return nil }
        return ymd(year, month, day)
    }

    static func ymd(_ year: Int?, _ month: Int?, _ day: Int?) -> String? {
        guard let year, let month, let day, (1800...2200).contains(year), (1...12).contains(month) else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...lengths[month - 1]).contains(day) else { return nil }
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))"
    }
}
