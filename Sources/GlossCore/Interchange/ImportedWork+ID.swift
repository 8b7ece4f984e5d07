import Crypto
import Foundation

extension ImportedWork {
    /// A stable annotation id for an item of this work: a UUID v7 whose time is when the item
    /// was made (0 when the file does not say) and whose other bits come from the SHA-256 of
    /// `source`, the work and `key` (what tells the item apart within the work). Importing the
    /// same file again gives the same ids, so it adds nothing.
    func annotationID(source: String, key: String, created: Int64?) -> String {
        let material = [source, title, author ?? "", url ?? "", key].joined(separator: "\u{1F}")
        let digest = Array(SHA256.hash(data: Data(material.utf8)))
        return Identity.uuidV7(milliseconds: UInt64(max(0, created ?? 0)), random: Array(digest.prefix(10)))
    }
}
