package import Foundation
import GlossCompression

/// A sync request's body as a sync server reads it once it has arrived whole: expanded as its
/// Content-Encoding says, within a limit, and decoded as one protocol message. `gloss serve` and
/// `gloss relay` read bodies so, and answer a refusal with its status and message.
package enum SyncRequestBody {
    /// Why a body was refused: the HTTP status that says whose fault it is, and what to do.
    package struct Refusal: Error, Sendable {
        package let status: Int
        package let message: String
        /// For an unknown coding, the codings that would do (RFC 7694: sent as Accept-Encoding).
        package let acceptEncoding: String?
    }

    /// The message of `type` that `data` holds, in the coding `contentEncoding` names, expanding
    /// to at most `maxExpandedBytes`.
    package static func decode<T: Decodable>(_ type: T.Type, from data: Data, contentEncoding: String?,
                                             maxExpandedBytes: Int) throws(Refusal) -> T {
        let data = try expand(data, contentEncoding: contentEncoding, maxExpandedBytes: maxExpandedBytes)
        do {
            return try MessageCoding.decode(type, from: data)
        } catch {
            throw Refusal(status: 400, message: "the body is not a valid \(type) message: \(error)", acceptEncoding: nil)
        }
    }

    /// `data` expanded as the coding `contentEncoding` names, to at most `maxExpandedBytes`.
    package static func expand(_ data: Data, contentEncoding: String?, maxExpandedBytes: Int) throws(Refusal) -> Data {
        let coding: ContentCoding?
        do {
            coding = try ContentCoding.named(contentEncoding)
        } catch {
            throw Refusal(status: 415, message: "the body's Content-Encoding '\(error.name)' is not one Gloss reads (\(ContentCoding.acceptHeader))",
                          acceptEncoding: ContentCoding.acceptHeader)
        }
        var data = data
        if let coding {
            do {
                data = try coding.expand(data, limit: maxExpandedBytes)
            } catch .tooLarge {
                throw Refusal(status: 413, message: "the \(coding.rawValue) body expands past \(maxExpandedBytes >> 20) MiB: push fewer changes at a time",
                              acceptEncoding: nil)
            } catch {
                throw Refusal(status: 400, message: "the body says \(coding.rawValue) but is not whole \(coding.rawValue) data", acceptEncoding: nil)
            }
        }
        return data
    }
}
