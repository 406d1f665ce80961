import SluiceVM
import Testing

@testable import SluiceHost

/// Compile errors: a clear message at `name:line:column` (UTF-16 columns, like script errors).
@Suite struct TemplateErrorTests {
    func error(_ source: String) throws -> TemplateError {
        try #require(TemplateFixture.compileError(source))
    }

    @Test func unknownFilterPointsAtTheFilterName() throws {
        let e = try error("<h1>\n  {{ var.title | shout }}</h1>")
        #expect(e.name == "test.html")
        #expect((e.line, e.column) == (2, 18))
        #expect(e.message.contains("unknown filter 'shout'"))
        #expect(e.message.contains("truncate"))
        #expect(e.description == "test.html:2:18: \(e.message)")
    }

    @Test func columnsCountUTF16UnitsAndLinesFollowJavaScript() throws {
        // 'é' is 1 unit, '😀' is 2; CR LF is one line break, a lone CR is one too.
        let e = try error("a\r\nb\rcé😀 {{ x | nope }}")
        #expect((e.line, e.column) == (3, 13))
    }

    @Test func unclosedOutput() throws {
        let e = try error("ok\n<p>{{ var.title </p>")
        #expect((e.line, e.column) == (2, 4))
        #expect(e.message == "'{{' is never closed: add '}}'")
        let later = try error("<p>{{ var.title</p>\n<p>{{ x }}</p>")
        #expect((later.line, later.column) == (1, 17))
        #expect(later.message.contains("unexpected '/'"))
        let extra = try error("{{ a b }}")
        #expect(extra.message == "expected '}}' to close the '{{' at 1:1, found 'b' (to keep '{{' for the browser, write '@{{')")
        let vue = try error("<p>{{ open ? 'a' : 'b' }}</p>")
        #expect(vue.message == "expected '}}' to close the '{{' at 1:4, found '?' (to keep '{{' for the browser, write '@{{')")
    }

    @Test func malformedExpressions() throws {
        #expect(try error("{{ }}").message.contains("empty"))
        #expect(try error("{{ a === }}").message.contains("expected an expression"))
        #expect(try error("{{ a. }}").message.contains("property name after '.'"))
        #expect(try error("{{ a[1 }}").message.contains("expected ']'"))
        #expect(try error("{{ 'open }}").message.contains("unterminated string"))
        #expect(try error("{{ a # b }}").message.contains("'#'"))
        #expect(try error("{{ a | }}").message.contains("filter name"))
    }

    @Test func filterArgumentCounts() throws {
        #expect(try error("{{ a | truncate }}").message.contains("filter 'truncate' takes 1 or 2 arguments"))
        #expect(try error("{{ a | upper:1 }}").message.contains("takes no arguments"))
        #expect(try error("{{ a | replace:'x' }}").message.contains("| replace:'old','new'"))
        #expect(try error("{{ a | default }}").message.contains("takes 1 argument"))
    }

    @Test func unknownFunctionAndLoopProperty() throws {
        let e = try error("x {{ getSessionItem('k') }}")
        #expect((e.line, e.column) == (1, 6))
        #expect(e.message.contains("unknown function 'getSessionItem()'"))
        #expect(try error("@foreach(x in xs){{ loop.idx }}@endforeach").message.contains("'loop' has no property 'idx'"))
    }

    @Test func unclosedAndUnmatchedDirectives() throws {
        let unclosed = try error("a\n  @if(x)\nb")
        #expect((unclosed.line, unclosed.column) == (2, 3))
        #expect(unclosed.message == "@if is never closed: add @endif")
        #expect(try error("@foreach(x in xs) a").message == "@foreach is never closed: add @endforeach")
        #expect(try error("a @endif").message == "@endif without a matching @if")
        #expect(try error("a @else b").message == "@else without a matching @if")
        #expect(try error("@elseif(x) b").message == "@elseif without a matching @if")
        #expect(try error("@endforeach").message == "@endforeach without a matching @foreach")
        #expect(try error("@if(a)1@else 2@elseif(b)3@endif").message.contains("@elseif after @else"))
        #expect(try error("@if(a)1@else 2@else 3@endif").message.contains("second @else"))
        let crossed = try error("@if(a)\n@foreach(x in y)\n@endif\n@endforeach")
        #expect((crossed.line, crossed.column) == (3, 1))
        #expect(crossed.message.contains("inside the @foreach at 2:1"))
    }

    @Test func malformedDirectiveHeaders() throws {
        #expect(try error("@if() x @endif").message.contains("needs a condition"))
        #expect(try error("@if(a b) x @endif").message.contains("expected ')' to close @if("))
        #expect(try error("@foreach(x of xs)@endforeach").message.contains("expected 'in' after 'x'"))
        #expect(try error("@foreach(in xs)@endforeach").message.contains("expected a variable name"))
        #expect(try error("@foreach(x in xs @endforeach").message.contains("expected ')' to close @foreach("))
    }

    @Test func unsupportedElasticFunnelsDirectivesAreReported() throws {
        let e = try error("<p>\n@set(total = 1)</p>")
        #expect((e.line, e.column) == (2, 1))
        #expect(e.message.contains("@set is not supported"))
        #expect(try error(#"@component("card", {})"#).message.contains("@component is not supported"))
    }

    @Test func unclosedComment() throws {
        let e = try error("a {{-- note")
        #expect((e.line, e.column) == (1, 3))
        #expect(e.message.contains("--}}"))
    }

    @Test func conditionalElementErrors() throws {
        let unclosed = try error("<main>\n <div v-if=\"a\"><p>text</p>\n</main>")
        #expect((unclosed.line, unclosed.column) == (2, 2))
        #expect(unclosed.message.contains("<div v-if> is never closed: add </div>"))
        #expect(try error("<p v-else>x</p>").message.contains("v-else must be on the element right after one with v-if"))
        #expect(try error("<p v-if>x</p>").message.contains("v-if needs a condition"))
        #expect(try error("<p v-if=\"\">x</p>").message.contains("v-if needs a condition"))
        #expect(try error("<p v-if=\"{{ var.x }}\">x</p>").message.contains("not {{ }}"))
        #expect(try error("<p v-if=\"a\" v-else>x</p>").message.contains("only one of"))
        #expect(try error("<p v-if=\"a\">x</p><p v-else=\"b\">y</p>").message.contains("v-else takes no condition"))
        let bad = try error("<div>\n  <p v-if=\"a &amp;&amp; b c\">x</p></div>")
        #expect((bad.line, bad.column) == (2, 27))
        #expect(bad.message.contains("unexpected 'c' in v-if condition"))
        let inner = try error("<div v-if=\"a\">@if(b)</div>")
        #expect(inner.message == "@if is never closed: add @endif")
    }

    @Test func pageTemplateErrorsPointIntoTheOriginalFile() throws {
        let page = BackendBlocks.extract(html: """
            <script scope="backend">
              setVariable('x', 1);
            </script>
            <h1>{{ var.x | nope }}</h1>
            """)
        do {
            _ = try Template(page: page, name: "pages/index.html")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix("pages/index.html:4:16: unknown filter 'nope'"))
        }
    }

    @Test func nestingAndExpressionSizeAreBounded() throws {
        let deep = String(repeating: "@if(a)", count: 150) + "x" + String(repeating: "@endif", count: 150)
        #expect(try error(deep).message.contains("nested too deeply"))
        let fine = String(repeating: "@if(a)", count: 50) + "x" + String(repeating: "@endif", count: 50)
        #expect(try TemplateFixture.render(fine, #"{"a": 1}"#) == "x")
        let deepElements = String(repeating: "<div v-if=\"a\">", count: 150) + String(repeating: "</div>", count: 150)
        #expect(try error(deepElements).message.contains("nested too deeply"))
        let long = "{{ " + Array(repeating: "a", count: 300).joined(separator: " + ") + " }}"
        #expect(try error(long).message.contains("expression too long"))
        #expect(try error("{{ " + String(repeating: "!", count: 5000) + "a }}").message.contains("expression too long"))
        #expect(try error("{{ " + String(repeating: "(", count: 5000) + "a }}").message.contains("expression too long"))
        #expect(try TemplateFixture.render("{{ " + Array(repeating: "a", count: 60).joined(separator: " + ") + " }}", #"{"a": 1}"#) == "60")
    }
}
