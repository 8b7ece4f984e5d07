import Foundation
import GlossSync
import HTTPTypes
import Hummingbird
import NIOCore

/// `GET` and `PUT /v1/keys`: an encrypted library's published keys (``PublishedKeys``: key ids,
/// rotations sealed under older keys, the passphrase wrap; never a key), kept per replica as the
/// bytes published, so the replicas syncing through the relay learn what a shared folder's
/// `keys.json` files tell them. The relay checks their form and reads nothing else of them.
extension RelayController {
    static let keysPath = SyncProtocol.prefix + "/keys"
    /// The most a library's published keys take in all.
    static let maxLibraryKeysBytes = 4 << 20

    func addKeyRoutes(to router: Router<some RequestContext>) {
        router.get(RouterPath(Self.keysPath)) { request, _ in
            let grant = try await authorize(request)
            let keys = try await stored { try await storage.publishedKeys(of: grant.library) }
            return try respond(json: Self.keysJSON(keys), to: request)
        }
        router.put(RouterPath(Self.keysPath)) { request, _ in
            let grant = try await authorize(request)
            guard !grant.readOnly else {
                throw HTTPError(.forbidden, message: "this token is read-only: it can read the published keys and never publish")
            }
            // Kept as published (members this relay does not know included), once its form is checked.
            let body = try await body(of: request, limit: PublishedKeys.maxBytes)
            let published = try Self.decode(PublishedKeys.self, fromExpanded: body)
            if let problem = published.problem {
                throw HTTPError(.unprocessableContent, message: "these are not published keys a replica could have written: \(problem)")
            }
            let bytes = Array(body)
            let time = RelayClock.now()
            try await stored {
                try await storage.publishKeys(bytes, replica: published.replica, in: grant.library, limit: Self.maxLibraryKeysBytes, at: time)
            }
            let keys = try await stored { try await storage.publishedKeys(of: grant.library) }
            return try respond(json: Self.keysJSON(keys), to: request)
        }
    }

    /// `{"published":[…]}`: the stored bytes joined as they are, by replica.
    static func keysJSON(_ keys: [String: [UInt8]]) -> Data {
        var json = Data(#"{"published":["#.utf8)
        for (i, replica) in keys.keys.sorted().enumerated() {
            if i > 0 { json.append(UInt8(ascii: ",")) }
            json.append(contentsOf: keys[replica] ?? [])
        }
        json.append(contentsOf: Array("]}".utf8))
        return json
    }
}
