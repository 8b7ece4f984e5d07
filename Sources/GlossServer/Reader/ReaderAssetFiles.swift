/// Every file of `Reader/Assets/`, by name, as compiled into the binary (Package.swift embeds
/// each; `ReaderAssetTests` checks that this list and the folder agree).
enum ReaderAssetFiles {
    static let all: [(String, [UInt8])] = [
        ("add.js", PackageResources.add_js),
        ("annotations.js", PackageResources.annotations_js),
        ("api.js", PackageResources.api_js),
        ("app.js", PackageResources.app_js),
        ("article.js", PackageResources.article_js),
        ("conflicts.js", PackageResources.conflicts_js),
        ("dom.js", PackageResources.dom_js),
        ("icon.svg", PackageResources.icon_svg),
        ("index.html", PackageResources.index_html),
        ("keyboard.js", PackageResources.keyboard_js),
        ("library.js", PackageResources.library_js),
        ("login.html", PackageResources.login_html),
        ("offsets.js", PackageResources.offsets_js),
        ("reader.css", PackageResources.reader_css),
        ("search.js", PackageResources.search_js),
        ("sync.js", PackageResources.sync_js),
        ("toolbar.js", PackageResources.toolbar_js),
    ]
}
