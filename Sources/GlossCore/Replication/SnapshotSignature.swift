/// A replica's signature over a snapshot file's header (`Schema/Snapshot.md`): by it the writer
/// vouches that the snapshot's tables are what its change log folds to, and an empty store may
/// copy its pages. The header's digest (SHA-256 of its JSON) is the sync layer's to compute;
/// what the key signs is this label and that digest, never a bare digest: a batch signature
/// (``BatchSignature``) signs 32 bytes, so the replica key signs nothing one could pass for the
/// other.
public enum SnapshotSignature {
    /// What is signed for a header whose digest is `headerDigest` (32 bytes).
    public static func message(headerDigest: [UInt8]) -> [UInt8] {
        precondition(headerDigest.count == 32, "a snapshot header's digest is a SHA-256")
        return Array("gloss snapshot signature v1\n".utf8) + headerDigest
    }
}
