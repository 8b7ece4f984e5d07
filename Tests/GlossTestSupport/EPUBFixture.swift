public import Foundation
import ZIPFoundation

/// Small EPUB books written in memory for tests: the OCF layout (mimetype first and stored,
/// META-INF/container.xml, a package file, a navigation document and chapters), built from strings.
public enum EPUBFixture {
    /// A zip of the given files, in order; the `mimetype` entry is stored, the others deflated.
    public static func zip(_ files: [(path: String, content: String)]) throws -> Data {
        let archive = try Archive(accessMode: .create)
        for (path, content) in files {
            let data = Data(content.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count),
                                 compressionMethod: path == "mimetype" ? .none : .deflate) { position, size in
                data.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
        return archive.data ?? Data()
    }

    public static let container = """
        <?xml version="1.0"?>
        <container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
          <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
        </container>
        """

    public static let package = """
        <?xml version="1.0" encoding="UTF-8"?>
        <package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
          <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
            <dc:identifier id="id">urn:uuid:0b0f7b9e-0000-4000-8000-000000000001</dc:identifier>
            <dc:title>The Lighthouse Keepers</dc:title>
            <dc:creator>Ada Marsh</dc:creator>
            <dc:creator>Tomas Reed</dc:creator>
            <dc:language>en</dc:language>
            <dc:publisher>Harbor Press</dc:publisher>
            <dc:date>2019-03-14</dc:date>
          </metadata>
          <manifest>
            <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
            <item id="c2" href="Text/chapter%202.xhtml" media-type="application/xhtml+xml"/>
            <item id="c1" href="Text/chapter1.xhtml" media-type="application/xhtml+xml"/>
            <item id="css" href="style.css" media-type="text/css"/>
          </manifest>
          <spine><itemref idref="c1"/><itemref idref="c2"/></spine>
        </package>
        """

    public static let navigation = """
        <?xml version="1.0" encoding="UTF-8"?>
        <html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">
        <head><title>Contents</title></head>
        <body><nav epub:type="toc"><ol>
          <li><a href="Text/chapter1.xhtml">The First Lamp</a></li>
          <li><a href="Text/chapter%202.xhtml#start">Storm Season</a></li>
        </ol></nav></body></html>
        """

    /// Chapter 1 has its own heading; chapter 2 has none, so its title comes from the navigation.
    public static let chapter1 = """
        <?xml version="1.0" encoding="UTF-8"?>
        <html xmlns="http://www.w3.org/1999/xhtml"><head><title>Chapter 1</title></head>
        <body><h1>Chapter One: The First Lamp</h1>
        <p>The keeper climbed the hundred steps each evening to light the lamp.</p>
        <p>Ships passing the reef counted on its beam.</p></body></html>
        """

    public static let chapter2 = """
        <?xml version="1.0" encoding="UTF-8"?>
        <html xmlns="http://www.w3.org/1999/xhtml"><head><title>Chapter 2</title></head>
        <body><p id="start">In November the gales came in from the northwest without warning.</p>
        <p>The keepers logged every barometer reading in a ledger bound with oilcloth.</p></body></html>
        """

    /// The files of the sample book, in zip order.
    public static func files(encryption: String? = nil) -> [(path: String, content: String)] {
        var files: [(path: String, content: String)] = [
            ("mimetype", "application/epub+zip"),
            ("META-INF/container.xml", container),
        ]
        if let encryption { files.append(("META-INF/encryption.xml", encryption)) }
        files += [
            ("OEBPS/content.opf", package),
            ("OEBPS/nav.xhtml", navigation),
            ("OEBPS/Text/chapter1.xhtml", chapter1),
            ("OEBPS/Text/chapter 2.xhtml", chapter2),
            ("OEBPS/style.css", "p { margin: 0 }"),
        ]
        return files
    }

    /// The sample book: two chapters, two creators, a publisher and a date.
    public static func book() throws -> Data {
        try zip(files())
    }

    /// An encryption.xml as Adobe's DRM writes one: the chapters encrypted with AES.
    public static let drmEncryption = """
        <?xml version="1.0"?>
        <encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#">
          <enc:EncryptedData>
            <enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>
            <enc:CipherData><enc:CipherReference URI="OEBPS/Text/chapter1.xhtml"/></enc:CipherData>
          </enc:EncryptedData>
        </encryption>
        """

    /// An encryption.xml that only obfuscates a font (IDPF): the text stays readable.
    public static let fontObfuscation = """
        <?xml version="1.0"?>
        <encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#">
          <enc:EncryptedData>
            <enc:EncryptionMethod Algorithm="http://www.idpf.org/2008/embedding"/>
            <enc:CipherData><enc:CipherReference URI="OEBPS/fonts/serif.otf"/></enc:CipherData>
          </enc:EncryptedData>
        </encryption>
        """
}
