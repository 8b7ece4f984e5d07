public import GlossCore

extension SplitMix64 {
    /// A number in `0..<bound`, for tests that pick by index.
    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
