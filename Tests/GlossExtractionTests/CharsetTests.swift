import Testing
@testable import GlossExtraction

/// Which encoding a page is read in.
struct CharsetTests {
    @Test func byteOrderMarkThenServerThenValidUTF8ThenDeclarationThenWindows1252() {
        let latin = Array("<meta charset=iso-8859-1><p>caf".utf8) + [0xE9]
        #expect(Charset.decide([0xEF, 0xBB, 0xBF] + Array("<p>x".utf8), transport: "latin1") == .encoding("UTF-8", offset: 3))
        #expect(Charset.decide([0xFF, 0xFE, 0x3C, 0x00], transport: nil) == .encoding("UTF-16LE", offset: 2))
        #expect(Charset.decide(Array("<p>é".utf8), transport: "shift_jis") == .encoding("CP932", offset: 0))
        #expect(Charset.decide(Array("<meta charset=gb2312><p>é".utf8), transport: nil) == .encoding("UTF-8", offset: 0))
        #expect(Charset.decide(latin, transport: nil) == .encoding("WINDOWS-1252", offset: 0))
        #expect(Charset.decide(Array("<p>caf".utf8) + [0xE9], transport: nil) == .encoding("WINDOWS-1252", offset: 0))
        #expect(Charset.decide(Array("<meta charset=utf-8><p>caf".utf8) + [0xE9], transport: nil) == .malformedUTF8(declared: "the page"))
        #expect(Charset.decide(Array("<p>é".utf8) + [0xE9], transport: "UTF-8") == .malformedUTF8(declared: "the server"))
    }

    @Test func declarationsAreFoundInTheirUsualForms() {
        #expect(Charset.declaredCharset(in: Array(#"<meta charset="windows-1251">"#.utf8)) == "windows-1251")
        #expect(Charset.declaredCharset(in: Array(#"<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=EUC-JP">"#.utf8)) == "euc-jp")
        #expect(Charset.declaredCharset(in: Array(#"<?xml version="1.0" encoding="ISO-8859-2"?><html>"#.utf8)) == "iso-8859-2")
        #expect(Charset.declaredCharset(in: Array("<p>no declaration</p>".utf8)) == nil)
    }

    @Test func labelsMapToWhatIconvReads() {
        #expect(Charset.canonicalName("ISO-8859-1") == "WINDOWS-1252")
        #expect(Charset.canonicalName(" GB2312 ") == "GBK")
        #expect(Charset.canonicalName("koi8-r") == "KOI8-R")
        #expect(Charset.canonicalName("no-such-charset") == nil)
    }

    @Test func utf8ValidationRejectsWhatTheStandardRejects() {
        #expect(Charset.isValidUTF8(Array("plain ASCII, then é, 日本, 😀".utf8)))
        for bad: [UInt8] in [[0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x80], [0xFF]] {
            #expect(!Charset.isValidUTF8(Array("abcdefgh".utf8) + bad), "\(bad)")
        }
    }
}
