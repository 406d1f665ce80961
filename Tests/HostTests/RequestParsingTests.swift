import SluiceVM
import Testing
@testable import SluiceHost

@Suite struct RequestParsingTests {
    @Test func queryStringsDecodeAndLastValueWins() {
        let q = URLEncoding.parseQuery("a=1&b=hello+world&a=3&c&d=%C3%A9%2B&=x")
        #expect(q.map(\.key) == ["a", "b", "c", "d"])
        #expect(q.map(\.value) == ["3", "hello world", "", "é+"])
    }

    @Test func pathIsDecodedAndCookiesParsed() {
        let r = PageRequest(IncomingRequest(method: "get", target: "/caf%C3%A9/x?y=1",
                                            headers: [("Cookie", "a=1; b=\"two\"; c=%20x"), ("X-Secret", "t"),
                                                      ("User-Agent", "Mozilla/5.0 (iPhone) Mobile")]))
        #expect(r.method == "GET")
        #expect(r.path == "/café/x")
        #expect(r.cookies.map(\.value) == ["1", "two", " x"])
        #expect(r.headers.map(\.key) == ["user-agent"])
        #expect(r.isMobile && !r.isTablet)
    }

    @Test func bodiesFollowTheContract() {
        func body(_ method: String, _ type: String?, _ text: String, tooLarge: Bool = false) -> ScriptValue {
            var headers: [(name: String, value: String)] = []
            if let type { headers.append(("Content-Type", type)) }
            return PageRequest(IncomingRequest(method: method, target: "/", headers: headers, body: Array(text.utf8),
                                               bodyTooLarge: tooLarge)).body
        }
        #expect(body("POST", "application/json; charset=UTF-8", #"{"w": 1}"#) == .object([ScriptProperty("w", .number(1))]))
        #expect(body("POST", "Application/JSON", "[1]") == .array([.number(1)]))
        #expect(body("POST", "application/json", "{bad") == .null)
        #expect(body("POST", "text/plain", "{}") == .null)
        #expect(body("POST", nil, "{}") == .null)
        #expect(body("GET", "application/json", "{}") == .null)
        #expect(body("POST", "application/json", "{}", tooLarge: true) == .null)
        #expect(body("POST", "application/x-www-form-urlencoded", "a=1&b=x+y") ==
                .object([ScriptProperty("a", .string("1")), ScriptProperty("b", .string("x y"))]))
    }

    @Test func siteJSONErrorsReportLineAndColumn() {
        do {
            _ = try SiteConfig(jsonText: "{\n  \"name\": \"x\",\n  \"b\": tru\n}")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 3)
            #expect(error.column == 8)
        }
    }

    @Test func moduleSpecifiersNormalise() {
        #expect(ModuleLinker.normalize("app") == "app")
        #expect(ModuleLinker.normalize("./app.js") == "app")
        #expect(ModuleLinker.normalize("../app") == "app")
        #expect(ModuleLinker.normalize("utils/helpers.js") == "utils/helpers")
        #expect(ModuleLinker.normalize("a/../../etc/passwd") == nil)
        #expect(ModuleLinker.normalize("") == nil)
        #expect(ModuleLinker.normalize("/abs") == nil)
    }

    @Test func siteConfigValidatesAndKeepsDefaults() throws {
        let c = try SiteConfig(jsonText: #"{"name": "X", "hosts": ["A.test"], "limits": {"instructions": 5000}}"#)
        #expect(c.hosts == ["a.test"])
        #expect(c.limits.instructions == 5000)
        #expect(c.limits.heapBytes == 8 << 20)
        #expect(throws: SiteConfigError.self) { try SiteConfig(jsonText: #"{"hosts": []}"#) }
        #expect(throws: SiteConfigError.self) { try SiteConfig(jsonText: #"{"name": "X", "limits": {"instructions": -1}}"#) }
    }

    /// Type errors point at the member's line, so an author finds it in a long file.
    @Test func siteConfigTypeErrorsNameTheLine() {
        let text = "{\n  \"name\": \"X\",\n  \"hosts\": [\"a.test\"],\n  \"limits\": {\n    \"memoryBytes\": 10,\n    \"instructions\": \"many\"\n  }\n}"
        do {
            _ = try SiteConfig(jsonText: text)
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 6 && error.column == 5)
            #expect(error.message == "limits.instructions must be a positive integer")
        }
        do {
            _ = try SiteConfig(jsonText: "{\n\"name\": \"variables\",\n\"variables\": [1]\n}")
            Issue.record("expected an error")
        } catch {
            // The value "variables" on line 2 is not the member; line 3 is.
            #expect(error.line == 3 && error.column == 1)
        }
    }
}
