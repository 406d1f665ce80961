import SluiceVM
import Testing
@testable import SluiceHost

/// The byte-level shortcuts request parsing takes must give what the `String` operations they
/// stand for give, including on the non-ASCII text where they hand over to those operations.
@Suite struct RequestTextShortcutTests {
    static let samples = ["", "host", "Host", "CONTENT-TYPE", "x-Custom_1", "Cookie", "COO\u{212A}IE", "İstanbul",
                          "Straße", "ǅ", "café", "\u{0}A", String(repeating: "Ab", count: 40)]

    @Test func lowercasingMatchesTheStandardLibrary() {
        for s in Self.samples { #expect(ASCIIText.lowercasedUTF8(s) == Array(s.lowercased().utf8), "\(s)") }
        #expect(ASCIIText.isASCII("Host: x") && !ASCIIText.isASCII("café"))
    }

    /// The header loop's name test: `name.lowercased()` equal to one of the names it reads.
    @Test func headerNamesAreFoundAsTheirLowerCaseForm() {
        let names = PageRequest.readHeaders
        for s in Self.samples + ["HOST", "hosT", "Content-Type", "user-agent", "Accept-Language", "ACCEPT-LANGUAGE ",
                                 "referer", "Referrer", "coo\u{212A}ie", "\u{212A}"] {
            let lower = s.lowercased()
            let expected = names.contains(lower) ? lower : nil
            let found = ASCIIText.lowercased(s, ifOneOf: names)
            #expect(found == expected && found.map { Array($0.utf8) } == expected.map { Array($0.utf8) }, "\(s)")
        }
    }

    /// What the media type was before: the first non-empty `;` part, trimmed, lower-cased.
    static func reference(_ contentType: String?) -> RequestBodyFormat {
        switch (contentType ?? "").split(separator: ";").first.map({ String($0).trimmingSpaces.lowercased() }) ?? "" {
        case "application/json": return .json
        case "application/x-www-form-urlencoded": return .form
        default: return .unread
        }
    }

    @Test func bodyFormatMatchesTheMediaTypeRule() {
        let values: [String?] = [
            nil, "", ";", ";;application/json", "application/json", "Application/JSON; charset=UTF-8",
            " \tapplication/json \t; x", "application/json\n", "\napplication/json", "application/json\r",
            "application/json\r\n", "\r\napplication/json", "application/jsonx", "application/jso", "text/plain",
            "application/x-www-form-urlencoded", "APPLICATION/X-WWW-FORM-URLENCODED;charset=utf-8", " ; application/json",
            "application/\u{212A}son", "applicat\u{130}on/json", "application/json\u{301}", "multipart/form-data; boundary=x",
        ]
        for v in values { #expect(RequestBodyFormat(contentType: v) == Self.reference(v), "\(String(describing: v))") }
    }

    @Test func bodiesNeedValidUTF8() {
        let cases: [[UInt8]] = [[], Array("{\"a\":1}".utf8), Array("{\"é\":\"☕\"}".utf8), [0x7B, 0xFF, 0x7D], [0xC3], [0xED, 0xA0, 0x80]]
        for bytes in cases { #expect(PageRequest.validUTF8Text(bytes) == String(validating: bytes, as: UTF8.self)) }
    }

    @Test func theQueryStartsAtTheFirstQuestionMarkCharacter() {
        func query(_ target: String) -> [String] {
            PageRequest(IncomingRequest(method: "GET", target: target)).query.map { $0.key + "=" + $0.value }
        }
        #expect(query("/a?b=1?c") == ["b=1?c"])
        #expect(query("/a") == [])
        #expect(PageRequest(IncomingRequest(method: "GET", target: "/a?b=1")).path == "/a")
        // A "?" followed by a combining mark is another character: not the query's start.
        let r = PageRequest(IncomingRequest(method: "GET", target: "/é?\u{301}x?y=2"))
        #expect(r.path == "/é?\u{301}x")
        #expect(r.query.map(\.key) == ["y"])
    }

    @Test func headerNamesMatchWhateverTheirCase() {
        let r = PageRequest(IncomingRequest(method: "POST", target: "/", headers: [
            ("HOST", "h1"), ("host", "h2"), ("COOKIE", "a=1"), ("cookie", "a=2; b=3"), ("Content-TYPE", "application/json"),
            ("content-type", "text/plain"), ("USER-AGENT", "Android"), ("Referer", "r"), ("X-Token", "t"),
        ], body: Array(#"{"w":1}"#.utf8)))
        #expect(r.host == "h1")
        #expect(r.headers.map(\.key) == ["host", "user-agent", "referer"])
        #expect(r.headers.map(\.value) == ["h1", "Android", "r"])
        #expect(r.cookies.map(\.key) == ["a", "a", "b"])  // each header's pairs, as before
        #expect(r.body == .object([ScriptProperty("w", .number(1))]))  // the first Content-Type counts
        #expect(r.isTablet && !r.isMobile)
    }
}
