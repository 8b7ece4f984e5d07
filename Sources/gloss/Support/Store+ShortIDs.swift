import GlossCore

extension Store {
    /// `id` as people type it: the shortest prefix naming it alone in this store.
    func short(_ id: String) throws -> String {
        try shortIDs([id])(id)
    }
}
