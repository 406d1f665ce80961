import SluiceCompiler
import Testing

@testable import SluiceHost

/// `<script scope="backend">` extraction: removal from the HTML, joining, and positions.
@Suite struct BackendBlocksTests {
    /// Splits on JavaScript's line terminators (LF, CR LF, CR, U+2028, U+2029).
    static func lines(_ s: String) -> [String] {
        var result: [String] = []
        var current = ""
        var previousWasCR = false
        for scalar in s.unicodeScalars {
            if scalar == "\n" && previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = scalar == "\r"
            if scalar == "\n" || scalar == "\r" || scalar == "\u{2028}" || scalar == "\u{2029}" {
                result.append(current)
                current = ""
            } else {
                current.unicodeScalars.append(scalar)
            }
        }
        result.append(current)
        return result
    }

    /// Checks that every active block's code sits in the joined script at the same line and
    /// (UTF-16) column as in the page.
    static func expectPositionsKept(_ html: String, _ page: ExtractedPage, sourceLocation: SourceLocation = #_sourceLocation) {
        let scriptLines = lines(page.script)
        let bytes = Array(html.utf8)
        for block in page.blocks where block.isActive {
            let code = String(decoding: bytes[block.codeRange], as: UTF8.self)
            for (k, codeLine) in lines(code).enumerated() {
                let index = block.line - 1 + k
                guard index < scriptLines.count else {
                    Issue.record("script too short for block at \(block.line)", sourceLocation: sourceLocation)
                    return
                }
                let scriptLine = Array(scriptLines[index].utf16)
                let column = k == 0 ? block.column - 1 : 0
                let expected = Array(codeLine.utf16)
                let actual = Array(scriptLine.dropFirst(column).prefix(expected.count))
                #expect(actual == expected, "line \(index + 1)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func originCheckinPage() throws {
        let html = """
            <script scope="backend">
              import { WeightCheckinSchema, requireCustomer } from "validators";

              if (request.method === 'POST') {
                response.json({ ok: true });
              }

              setVariable('page_title', 'Weight Check-in');
            </script>

            <div>
              <h1>{{ var.page_title }}</h1>
            </div>

            <script>
            document.getElementById('checkin-form').addEventListener('submit', async function(e) {
              var data = await res.json();
            });
            </script>
            """
        let page = BackendBlocks.extract(html: html)
        #expect(page.blocks.count == 1)
        #expect(page.hasScript)
        #expect(page.html.hasPrefix("\n\n<div>\n  <h1>{{ var.page_title }}</h1>\n</div>\n\n<script>\ndocument.getElementById"))
        #expect(page.html.hasSuffix("var data = await res.json();\n});\n</script>"))
        #expect(!page.html.contains("scope=\"backend\"") && !page.html.contains("setVariable"))
        let scriptLines = Self.lines(page.script)
        #expect(scriptLines[0] == String(repeating: " ", count: 24))
        #expect(scriptLines[1] == "  import { WeightCheckinSchema, requireCustomer } from \"validators\";")
        #expect(scriptLines[7] == "  setVariable('page_title', 'Weight Check-in');")
        #expect(page.blocks[0].line == 1 && page.blocks[0].column == 25)
        Self.expectPositionsKept(html, page)
    }

    @Test(arguments: [
        #"<script scope="backend">CODE</script>"#,
        #"<script scope='backend'>CODE</script>"#,
        #"<script scope=backend>CODE</script>"#,
        #"<SCRIPT SCOPE="BACKEND">CODE</SCRIPT>"#,
        #"<script type="text/javascript" scope="Backend" data-x>CODE</script >"#,
        #"<script   scope = "backend"   >CODE</script>"#,
        "<script\n  data-a=\"1>2\"\n  scope=\"backend\">CODE</script>",
        #"<script scope=" backend ">CODE</script>"#,
    ])
    func attributeSpellings(_ tag: String) {
        let page = BackendBlocks.extract(html: "<p>a</p>\(tag)<p>b</p>")
        #expect(page.html == "<p>a</p><p>b</p>")
        #expect(page.script.hasSuffix("CODE"))
        #expect(page.script.trimmingCharacters(in: " \n") == "CODE")
    }

    @Test(arguments: [
        #"<script>var x = 1;</script>"#,
        #"<script scope="frontend">var x = 1;</script>"#,
        #"<script type="module" src="/a.js"></script>"#,
        #"<scripty scope="backend">not a script</scripty>"#,
        #"<noscript scope="backend">no</noscript>"#,
        #"<div data-scope="backend">x</div>"#,
    ])
    func otherElementsPassThrough(_ html: String) {
        let page = BackendBlocks.extract(html: html)
        #expect(page.html == html)
        #expect(page.script.isEmpty)
        #expect(page.blocks.isEmpty && !page.hasScript)
    }

    @Test func browserScriptMentioningABackendTagIsOpaque() {
        let html = #"<script>var s = '<script scope="backend">x()</' + 'script>';</script><script scope="backend">real()</script>"#
        let page = BackendBlocks.extract(html: html)
        #expect(page.html == #"<script>var s = '<script scope="backend">x()</' + 'script>';</script>"#)
        #expect(page.script.hasSuffix("real()"))
        #expect(page.blocks.count == 1)
    }

    @Test func blocksJoinInDocumentOrderKeepingPositions() {
        let html = """
            <html>
            <head><script scope="backend">var a = 1;
            var b = a + 1;</script></head>
            <body>
              <p>é😀 text</p>  <script scope="backend">  var c = b * 2;
                setVariable('c', c);
              </script>
            </body>
            <script scope="backend">setVariable('last', true);</script>
            """
        let page = BackendBlocks.extract(html: html)
        #expect(page.blocks.count == 3)
        #expect(page.blocks.map(\.line) == [2, 5, 9])
        // `  <p>é😀 text</p>  <script scope="backend">`: 😀 counts two UTF-16 units.
        #expect(page.blocks[1].column == 44)
        #expect(page.html == "<html>\n<head></head>\n<body>\n  <p>é😀 text</p>  \n</body>\n")
        Self.expectPositionsKept(html, page)
        let order = ["var a", "var b", "var c", "setVariable('c'", "setVariable('last'"].map { TemplateFixture.firstIndex(of: $0, in: page.script)! }
        #expect(order == order.sorted())
    }

    @Test func compilerErrorsReportPagePositions() throws {
        let html = """
            <h1>Title</h1>
            <script scope="backend">
              var ok = 1;
            </script>
            <p>between</p>
            <p>x</p>   <script scope="backend">var broken = ;</script>
            """
        let page = BackendBlocks.extract(html: html)
        do {
            _ = try Compiler.compile(source: page.script, name: "page.html")
            Issue.record("expected a syntax error")
        } catch {
            #expect(error.position.line == 6)
            #expect(error.position.column == 49)  // the `;` after `=`
            #expect(error.description.hasPrefix("page.html:6:49:"))
        }
    }

    @Test func blocksOnOneLineStayApartWithoutMovingColumns() throws {
        let html = #"<script scope="backend">var a = 1</script><script scope="backend">var b = a + 1</script>"#
        let page = BackendBlocks.extract(html: html)
        #expect(!page.script.contains("\n"))
        Self.expectPositionsKept(html, page)
        _ = try Compiler.compile(source: page.script, name: "page.html")
    }

    @Test func lineCommentBeforeSameLineBlockCostsOneLine() throws {
        let html = #"<script scope="backend">var a = 1 // note</script><script scope="backend">var b = a</script>"#
        let page = BackendBlocks.extract(html: html)
        #expect(Self.lines(page.script).count == 2)
        #expect(Self.lines(page.script)[1].hasSuffix("var b = a"))
        _ = try Compiler.compile(source: page.script, name: "page.html")
    }

    @Test func crlfLineBreaksAreKept() {
        let html = "<p>a</p>\r\n<p>b</p>\r\n  <script scope=\"backend\">\r\n  x();\r\n</script>\r\n"
        let page = BackendBlocks.extract(html: html)
        #expect(page.script == "\r\n\r\n" + String(repeating: " ", count: 26) + "\r\n  x();\r\n")
        #expect(page.html == "<p>a</p>\r\n<p>b</p>\r\n  \r\n")
        Self.expectPositionsKept(html, page)
    }

    @Test func unclosedBlockRunsToTheEndAndIsRemoved() {
        let page = BackendBlocks.extract(html: "<p>keep</p><script scope=\"backend\">secret();\n<p>not html any more</p>")
        #expect(page.html == "<p>keep</p>")
        #expect(page.blocks.count == 1 && !page.blocks[0].isClosed)
        #expect(page.script.hasSuffix("secret();\n<p>not html any more</p>"))
    }

    @Test func commentedOutBlockIsRemovedButNotRun() {
        let html = "<!-- old:\n<script scope=\"backend\">oldCode();</script>\n-->\n<script scope=\"backend\">newCode();</script>"
        let page = BackendBlocks.extract(html: html)
        #expect(page.html == "<!-- old:\n\n-->\n")
        #expect(page.blocks.map(\.isActive) == [false, true])
        #expect(!page.script.contains("oldCode"))
        #expect(page.script.hasSuffix("newCode();"))
        Self.expectPositionsKept(html, page)
    }

    @Test func selfClosingBlockIsRemoved() {
        let page = BackendBlocks.extract(html: "a<script scope=\"backend\" />b")
        #expect(page.html == "ab")
        #expect(page.blocks.count == 1)
        #expect(page.script.trimmingCharacters(in: " ").isEmpty)
    }

    @Test func pageWithoutBlocksIsUnchanged() {
        let html = "<html><body><p>Hello {{ var.name }}</p><script>go()</script></body></html>"
        let page = BackendBlocks.extract(html: html)
        #expect(page.html == html)
        #expect(page.script == "")
        #expect(!page.hasScript)
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        let removable = Set(set)
        return String(drop(while: { removable.contains($0) }).reversed().drop(while: { removable.contains($0) }).reversed())
    }
}
