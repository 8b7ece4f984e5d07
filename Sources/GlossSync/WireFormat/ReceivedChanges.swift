import GlossCore

/// The check a transport runs on changes from outside before handing them to a session: the
/// rules `Store.apply` enforces, so a folder can skip one bad bundle (and name it) and a client
/// can refuse a server's bad answer, instead of failing the whole sync inside the store.
enum ReceivedChanges {
    /// Why one of `changes` would be refused by a store whose clock reads `now` (ms), or nil.
    static func defect(in changes: [Change], now: UInt64 = StoreEnvironment.live.now()) -> GlossError.ChangeDefect? {
        for change in changes {
            if let defect = Store.defect(in: change, now: now) { return defect }
        }
        return nil
    }
}
