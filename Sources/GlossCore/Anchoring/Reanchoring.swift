/// Where a highlight lands in a new version of its article's text.
struct Reanchoring: Hashable, Sendable {
    enum Method: String, Hashable, Sendable { case position, nearestExact, approximate, orphan }
    var method: Method
    /// Scalar range in the new text; nil for an orphan.
    var range: Range<Int>?
    /// 0…1, how sure (1 for position/nearestExact).
    var confidence: Double

    static let orphan = Reanchoring(method: .orphan, range: nil, confidence: 0)
}
