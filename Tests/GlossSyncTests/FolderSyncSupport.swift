import GlossCore
import GlossSync
import GlossExtraction
import GlossTestSupport

extension TemporaryDirectory {
    /// One folder sync of `store` through `shared`: what it did, and how many bundle files it
    /// read and wrote.
    func folderSync(_ store: Store, through shared: String) async throws -> (report: SyncReport, read: Int, written: Int) {
        let transport = try FolderTransport(directory: shared, replica: store.replicaID)
        let report = try await SyncSession(store: store, peer: transport).run()
        return (report, await transport.bundlesRead, await transport.bundlesWritten)
    }

    /// A store holding one article and one highlight on it: two changes.
    func storeWithHighlight(_ name: String, seed: UInt64) throws -> Store {
        let store = try self.store(name, seed: seed)
        let id = try store.addArticle(ExtractedArticle(title: "Bridge", text: sampleText, format: .plainText)).id
        _ = try store.highlight(articleID: id, quote: "winter budget", note: "from \(name)")
        return store
    }
}
