import GlossCore
import GlossSync
import Hummingbird
import Logging

/// `gloss serve` is a trusted replica of an encrypted library: holding the key (beside its
/// store, as every replica does), it opens the sealed changes pushed to it and seals the pages
/// it answers pulls with, so what crosses the network is sealed as it is through a relay.
extension SyncController {
    /// The store's keyring, read at each request (a `gloss encryption join` on the server takes
    /// effect without a restart).
    func keyring() throws -> Keyring? {
        do {
            return try KeyFile.load(for: store)
        } catch {
            logger.error("cannot read the key file: \(error)")
            throw HTTPError(.internalServerError, message: "the server cannot read its library's key file; its log says why")
        }
    }

    /// `response` with its changes sealed under the current key when the library is encrypted.
    func sealedForKeyHolders(_ response: PullResponse) throws -> PullResponse {
        guard let keys = try keyring(), !response.changes.isEmpty else { return response }
        var sealed = response
        sealed.sealed = try response.changes.map { try SealedChange(sealing: $0, under: keys.sealing) }
        sealed.changes = []
        return sealed
    }

    /// The changes inside `sealed`.
    /// - Throws: 422 when the library holds no key here, or a change does not open: nothing of
    ///   the push is applied.
    func opened(_ sealed: [SealedChange]) throws -> [Change] {
        guard !sealed.isEmpty else { return [] }
        guard let keys = try keyring() else {
            throw HTTPError(.unprocessableContent, message: "these changes are sealed, and this server's library holds no key, so it cannot read them: run 'gloss encryption join' on the server; nothing was applied")
        }
        return try sealed.map { box in
            do {
                return try box.open(with: keys)
            } catch {
                throw HTTPError(.unprocessableContent, message: "change \(box.dot) is refused, so nothing from this push was applied: \(error)")
            }
        }
    }
}
