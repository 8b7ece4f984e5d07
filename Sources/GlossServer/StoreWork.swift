import GlossCore
import HTTPTypes
import Hummingbird
import Logging
import NIOPosix

/// Store work for a request, run off the event loops, with what can go wrong turned into the
/// answer it means: the sync routes and the JSON API share it, so one store error reads the
/// same from both.
enum StoreWork {
    /// What a busy answer's Retry-After says.
    static let retryAfterSeconds = 1

    /// Runs `body` on the thread pool. A store error is the status `status(of:)` gives with its
    /// words; a store another process is writing past the busy timeout is 503 with Retry-After,
    /// for the client to try again; anything else is logged and answered as a 500 that says the
    /// server failed, without the error's text (a database's message shows the server's
    /// insides).
    static func run<T: Sendable>(_ logger: Logger, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        do {
            return try await NIOThreadPool.singleton.runIfActive(body)
        } catch let error as GlossError {
            throw HTTPError(status(of: error), message: error.description)
        } catch let error where Store.isBusy(error) {
            throw HTTPError(.serviceUnavailable, headers: [.retryAfter: String(retryAfterSeconds)],
                            message: "the library is busy with another write; nothing was changed: try again in \(retryAfterSeconds) s")
        } catch let error as HTTPError {
            throw error
        } catch {
            logger.error("request failed: \(error)")
            throw HTTPError(.internalServerError, message: "the server failed; nothing was changed, and its log says why")
        }
    }

    /// A malformed request is 400; one well formed that names what this store does not hold
    /// (or holds as another kind) 404; a change under a dot the store holds with other content,
    /// an id prefix several items share, or text that has changed since, 409; one well formed
    /// that no replica could have written or that this store's data makes impossible (a passage
    /// outside the text) 422; a damaged store 500.
    static func status(of error: GlossError) -> HTTPResponse.Status {
        switch error {
        case .unknownID, .noConflict, .wrongKind: .notFound
        case .textChanged, .ambiguousID, .invalidChange(.rewritten): .conflict
        case .invalidChange, .anchorOutOfRange, .emptyQuote, .emptyNote, .conflictValueOutOfRange, .deleteConflictNeedsAChoice:
            .unprocessableContent
        case .notAGlossStore, .storeDamaged, .storeUnreadable: .internalServerError
        default: .badRequest
        }
    }
}
