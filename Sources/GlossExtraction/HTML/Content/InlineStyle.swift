/// The few inline CSS declarations that hide an element.
enum InlineStyle {
    /// Whether a `style` attribute says `display: none` or `visibility: hidden`.
    static func hides(_ style: String) -> Bool {
        let lowered = style.utf8.map(ClassHints.Words.lowercased)
        guard ClassHints.Words.find(Array("none".utf8), in: lowered, from: 0) != nil
                || ClassHints.Words.find(Array("hidden".utf8), in: lowered, from: 0) != nil else { return false }
        for declaration in style.split(separator: ";") {
            guard let colon = declaration.firstIndex(of: ":") else { continue }
            let property = declaration[..<colon].trimmingSpaces.lowercased()
            var value = declaration[declaration.index(after: colon)...].trimmingSpaces.lowercased()
            if let important = value.firstRange(of: "!important") { value = value[..<important.lowerBound].trimmingSpaces }
            if property == "display", value == "none" { return true }
            if property == "visibility", value == "hidden" { return true }
        }
        return false
    }
}
