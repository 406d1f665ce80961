import SluiceVM
import Testing

@testable import SluiceHost

/// `{{ }}` output: paths, value formatting, escaping, filters.
@Suite struct TemplateOutputTests {
    func render(_ source: String, _ context: String = "{}") throws -> String {
        try TemplateFixture.render(source, context)
    }

    @Test func textWithoutTemplateSyntaxIsUnchanged() throws {
        let html = "<!doctype html>\n<p class='x'>Héllo 😀 { not } a @ b</p>\r\n"
        #expect(try render(html, "{}") == html)
    }

    @Test func dotPathsIndexesAndQuotedKeys() throws {
        let context = #"{"var": {"title": "Hi", "featured": [{"title": "First"}, {"title": "Second"}], "my-key": "dash", "i": 1}}"#
        #expect(try render("{{ var.title }}", context) == "Hi")
        #expect(try render("{{var.featured[0].title}}", context) == "First")
        #expect(try render("{{ var.featured[1]['title'] }}", context) == "Second")
        #expect(try render(#"{{ var["my-key"] }}"#, context) == "dash")
        #expect(try render("{{ var.featured.1.title }}", context) == "Second")
        #expect(try render("{{ var.featured[var.i].title }}", context) == "Second")
        #expect(try render("{{ var.featured.length }}/{{ var.title.length }}", context) == "2/2")
        #expect(try render("{{ var.title[0] }}", context) == "H")
    }

    @Test func missingNullAndUndefinedRenderEmpty() throws {
        let context = #"{"var": {"nothing": null, "list": []}}"#
        #expect(try render("[{{ var.nothing }}][{{ var.missing }}][{{ var.missing.deeper[3].x }}][{{ nope }}][{{ var.list[5] }}]", context) == "[][][][][]")
        #expect(try render("[{{ undefined }}{{ null }}]") == "[]")
    }

    @Test func numbersRenderLikeJavaScriptString() throws {
        let context = #"{"a": 1, "b": 1.5, "c": -0, "d": 1e21, "e": 123456789012, "f": 0.000001, "g": 1e-7}"#
        #expect(try render("{{ a }} {{ b }} {{ c }} {{ d }} {{ e }} {{ f }} {{ g }}", context)
            == "1 1.5 0 1e+21 123456789012 0.000001 1e-7")
        #expect(try render("{{ 0.1 + 0.2 }} {{ 2 + 3 }}") == "0.30000000000000004 5")
    }

    @Test func booleansArraysAndObjects() throws {
        let context = #"{"t": true, "f": false, "list": [1, "two", null], "obj": {"a": 1, "b": "x"}}"#
        #expect(try render("{{ t }}/{{ f }}", context) == "true/false")
        #expect(try render("{{ list }}", context) == "[1,&quot;two&quot;,null]")
        #expect(try render("{{ obj | raw }}", context) == #"{"a":1,"b":"x"}"#)
    }

    @Test func outputIsHTMLEscaped() throws {
        let context = #"{"var": {"evil": "<script>alert(\"x\")</script> & 'quotes'"}}"#
        #expect(try render("<p>{{ var.evil }}</p>", context)
            == "<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;</p>")
        #expect(try render(#"<a title="{{ var.evil }}">"#, context).contains("<script>") == false)
    }

    @Test func rawDisablesEscapingAnywhereInTheChain() throws {
        let context = #"{"html": "<b>bold</b>"}"#
        #expect(try render("{{ html | raw }}", context) == "<b>bold</b>")
        #expect(try render("{{ html | raw | upper }}", context) == "<B>BOLD</B>")
        #expect(try render("{{ html | upper }}", context) == "&lt;B&gt;BOLD&lt;/B&gt;")
    }

    @Test func defaultFilter() throws {
        let context = #"{"empty": "", "zero": 0, "no": false, "name": "Ann", "fallback": "from path"}"#
        #expect(try render("{{ missing | default:'Guest' }}", context) == "Guest")
        #expect(try render(#"{{ empty | default:"none" }}"#, context) == "none")
        #expect(try render("{{ zero | default:'x' }}|{{ no | default:'x' }}", context) == "0|false")
        #expect(try render("{{ name | default:'Guest' }}", context) == "Ann")
        #expect(try render("{{ missing | default:fallback }}", context) == "from path")
        #expect(try render("{{ missing | default:'<i>' }}", context) == "&lt;i&gt;")
    }

    @Test func caseFilters() throws {
        #expect(try render("{{ s | upper }} {{ s | lower }} {{ n | upper }}", #"{"s": "Straße Ab", "n": 5}"#)
            == "STRASSE AB straße ab 5")
        #expect(try render("[{{ missing | upper }}]") == "[]")
    }

    @Test func truncateFilter() throws {
        let context = #"{"s": "Hello world", "emoji": "a😀b😀c"}"#
        #expect(try render("{{ s | truncate:5 }}", context) == "Hello...")
        #expect(try render("{{ s | truncate:20 }}", context) == "Hello world")
        #expect(try render("{{ s | truncate:5:'…' }}", context) == "Hello…")
        #expect(try render("{{ emoji | truncate:2:'' }}", context) == "a😀")
    }

    @Test func sliceFilterTakesStartAndLength() throws {
        let context = #"{"s": "abcdef", "list": [1, 2, 3, 4]}"#
        #expect(try render("{{ s | slice:1:3 }}", context) == "bcd")
        #expect(try render("{{ s | slice:2 }}", context) == "cdef")
        #expect(try render("{{ s | slice:-2 }}", context) == "ef")
        #expect(try render("{{ s | slice:4:10 }}", context) == "ef")
        #expect(try render("{{ list | slice:1:2 | json }}", context) == "[2,3]")
        #expect(try render("{{ (name | default:'Anonymous') | slice:0:1 }}", context) == "A")
    }

    @Test func replaceFilterReplacesEveryOccurrence() throws {
        let context = #"{"s": "a-b-c", "name": "Ann"}"#
        #expect(try render("{{ s | replace:'-','+' }}", context) == "a+b+c")
        #expect(try render(#"{{ s | replace:"-","" }}"#, context) == "abc")
        #expect(try render("{{ s | replace:'-':' / ' }}", context) == "a / b / c")
        #expect(try render("{{ 'Hi NAME' | replace:'NAME',name }}", context) == "Hi Ann")
    }

    @Test func jsonFilter() throws {
        let context = #"{"obj": {"a": [1, "<x>"]}, "s": "q\""}"#
        #expect(try render("{{ obj | json }}", context) == "{&quot;a&quot;:[1,&quot;&lt;x&gt;&quot;]}")
        #expect(try render("{{ obj | json | raw }}", context) == #"{"a":[1,"<x>"]}"#)
        #expect(try render("{{ s | json | raw }} {{ missing | json }}", context) == #""q\"" null"#)
    }

    @Test func lengthFilter() throws {
        let context = #"{"s": "héllo😀", "list": [1, 2, 3], "obj": {"a": 1, "b": 2}}"#
        #expect(try render("{{ s | length }} {{ list | length }} {{ obj | length }} {{ missing | length }}", context) == "6 3 2 0")
    }

    @Test func filtersChainLeftToRight() throws {
        #expect(try render("{{ s | default:'hello world' | upper | truncate:5 | replace:'.','!' }}") == "HELLO!!!")
    }

    @Test func expressionsInOutput() throws {
        let context = #"{"first": "Ann", "last": "Lee", "n": 2, "user": null}"#
        #expect(try render("{{ first + ' ' + last }}", context) == "Ann Lee")
        #expect(try render("{{ 'n=' + n }} {{ n + 1 }}", context) == "n=2 3")
        #expect(try render("{{ user || 'Guest' }} {{ first && last }}", context) == "Guest Lee")
        #expect(try render("{{ n > 1 }} {{ !n }} {{ -n }}", context) == "true false -2")
        #expect(try render("{{ 'Hi ' + missing }}", context) == "Hi ")
    }

    @Test func dumpRendersJSON() throws {
        #expect(try render("{{ dump(var) }}", #"{"var": {"a": "<"}}"#) == "{&quot;a&quot;:&quot;&lt;&quot;}")
    }

    @Test func quotedStringsAreNotInterpolated() throws {
        #expect(try render("{{ '{{ var.x }}' }}", #"{"var": {"x": 1}}"#) == "{{ var.x }}")
    }

    @Test func escapedBracesRenderLiterally() throws {
        #expect(try render("@{{ var.x }} and {{ var.x }}", #"{"var": {"x": 1}}"#) == "{{ var.x }} and 1")
    }
}
