// TEMPORARY: whole-text merge until the token-level ThreeWayMerge lands. Delete then.
enum ThreeWayMerge {
    static func merge(base: String, ours: String, theirs: String) -> String? {
        if ours == theirs || theirs == base { return ours }
        if ours == base { return theirs }
        return nil
    }
}
