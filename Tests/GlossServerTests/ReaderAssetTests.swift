import Foundation
@testable import GlossServer
import Testing

/// The reader's files are compiled in, each named in Package.swift: none may be left out (it
/// would be missing from the binary) and none listed that is gone.
@Suite struct ReaderAssetTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources/GlossServer/Reader/Assets").standardizedFileURL

    @Test func everyFileInTheFolderIsCompiledIn() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { !$0.hasPrefix(".") }
        #expect(Set(files) == Set(ReaderAssetFiles.all.map(\.0)))
        for (name, bytes) in ReaderAssetFiles.all {
            #expect(try Data(contentsOf: Self.folder.appendingPathComponent(name)) == Data(bytes), "\(name) is stale: rebuild")
            #expect(ReaderAssets.contentType(of: name) != "application/octet-stream", "\(name) has no content type")
        }
    }

    /// The pages hold no inline script or style and no inline event handler: the policy would
    /// block them, and they are how injected markup would run.
    @Test func thePagesNeedNothingTheContentSecurityPolicyForbids() throws {
        for (name, bytes) in ReaderAssetFiles.all where name.hasSuffix(".html") {
            let html = String(decoding: bytes, as: UTF8.self)
            #expect(html.range(of: #"<script(?![^>]*\bsrc=)"#, options: .regularExpression) == nil, "\(name): inline script")
            #expect(html.range(of: #"\son[a-z]+\s*="#, options: [.regularExpression, .caseInsensitive]) == nil, "\(name): event handler")
            #expect(html.range(of: #"\sstyle\s*="#, options: [.regularExpression, .caseInsensitive]) == nil, "\(name): style attribute")
            #expect(!html.contains("<style"), "\(name): inline style sheet")
        }
        for (name, bytes) in ReaderAssetFiles.all where name.hasSuffix(".js") {
            let script = String(decoding: bytes, as: UTF8.self)
            #expect(!script.contains("eval("), "\(name): eval")
            #expect(!script.contains("new Function"), "\(name): new Function")
            // Untrusted text is drawn with textContent only: nothing parses a string as markup.
            for sink in ["innerHTML", "insertAdjacentHTML", "document.write", "outerHTML ="] {
                #expect(!script.contains(sink), "\(name): \(sink)")
            }
        }
    }
}
