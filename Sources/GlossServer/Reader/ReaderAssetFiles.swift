/// Every file of `Reader/Assets/`, by name, as compiled into the binary (Package.swift embeds
/// each; `ReaderAssetTests` checks that this list and the folder agree).
enum ReaderAssetFiles {
    static let all: [(String, [UInt8])] = [
        ("index.html", PackageResources.index_html),
        ("login.html", PackageResources.login_html),
        ("reader.css", PackageResources.reader_css),
        ("app.js", PackageResources.app_js),
    ]
}
