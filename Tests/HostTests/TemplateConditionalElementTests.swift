import SluiceVM
import Testing

@testable import SluiceHost

/// `v-if` / `v-else-if` / `v-else` on elements, evaluated on the server.
@Suite struct TemplateConditionalElementTests {
    func render(_ source: String, _ context: String = "{}") throws -> String {
        try TemplateFixture.render(source, context)
    }

    @Test func falsyRemovesTheElementAndTruthyDropsTheAttribute() throws {
        let source = #"<h2>Goal</h2>\#n<p v-if="var.on_track">You've reached your goal!</p>\#n<footer>"#
        #expect(try render(source, #"{"var": {"on_track": true}}"#)
            == "<h2>Goal</h2>\n<p>You've reached your goal!</p>\n<footer>")
        #expect(try render(source, #"{"var": {"on_track": false}}"#) == "<h2>Goal</h2>\n\n<footer>")
        #expect(try render(source, #"{"var": {}}"#) == "<h2>Goal</h2>\n\n<footer>")
    }

    @Test func otherAttributesAreKeptAndInterpolated() throws {
        let source = #"<a class="btn" v-if="show" href="/u/{{ id }}" data-x='1'>Go {{ id }}</a>"#
        #expect(try render(source, #"{"show": 1, "id": 7}"#) == #"<a class="btn" href="/u/7" data-x='1'>Go 7</a>"#)
        #expect(try render(source, #"{"show": 0, "id": 7}"#) == "")
    }

    @Test func attributeSpellings() throws {
        let context = #"{"a": true, "b": "x"}"#
        #expect(try render("<p v-if='a'>1</p>", context) == "<p>1</p>")
        #expect(try render("<p v-if=a>1</p>", context) == "<p>1</p>")
        #expect(try render("<P V-IF=\"a\">1</P>", context) == "<P>1</P>")
        #expect(try render(#"<p v-if="a &amp;&amp; b == &quot;x&quot;">1</p>"#, context) == "<p>1</p>")
        #expect(try render(#"<p v-if="a && b == 'x'">1</p>"#, context) == "<p>1</p>")
        #expect(try render(#"<p v-if="a and b eq 'y'">1</p>"#, context) == "")
    }

    @Test func nestedElementsOfTheSameName() throws {
        let source = #"<div v-if="show"><div class="in"><div>deep</div></div><span>s</span></div><div>after</div>"#
        #expect(try render(source, #"{"show": false}"#) == "<div>after</div>")
        #expect(try render(source, #"{"show": true}"#)
            == #"<div><div class="in"><div>deep</div></div><span>s</span></div><div>after</div>"#)
    }

    @Test func endTagLookalikesInsideDoNotCloseEarly() throws {
        let source = #"<div v-if="show"><!-- </div> --><script>var s = "</div>";</script>{{ '</div>' | raw }}x</div>y"#
        #expect(try render(source, #"{"show": false}"#) == "y")
        #expect(try render(source, #"{"show": true}"#) == #"<div><!-- </div> --><script>var s = "</div>";</script></div>x</div>y"#)
    }

    @Test func voidAndSelfClosingElements() throws {
        #expect(try render(#"a<img v-if="x" src="i.png">b<br v-if="x">c<input v-if="x" type="text" />d"#, #"{"x": false}"#) == "abcd")
        #expect(try render(#"a<img v-if="x" src="i.png">b<br v-if="x">c<input v-if="x" type="text" />d"#, #"{"x": true}"#)
            == #"a<img src="i.png">b<br>c<input type="text" />d"#)
        #expect(try render(#"<my-icon v-if="x" name="a"/>rest"#, #"{"x": false}"#) == "rest")
    }

    @Test func elseIfAndElseOnFollowingSiblings() throws {
        let source = """
            <p v-if="n == 1">one</p>
            <p v-else-if="n == 2">two</p>
            <span v-else>other {{ n }}</span>
            end
            """
        #expect(try render(source, #"{"n": 1}"#) == "<p>one</p>\nend")
        #expect(try render(source, #"{"n": 2}"#) == "<p>two</p>\nend")
        #expect(try render(source, #"{"n": 3}"#) == "<span>other 3</span>\nend")
    }

    @Test func elseIsOnlyTheImmediateSibling() throws {
        let source = #"<p v-if="a">A</p><p>between</p>"#
        #expect(try render(source, #"{"a": false}"#) == "<p>between</p>")
        #expect(TemplateFixture.compileError(#"<p v-if="a">A</p><p>between</p><p v-else>B</p>"#) != nil)
    }

    @Test func vIfInsideLoopsUsesLoopVariables() throws {
        let source = #"@foreach(item in items)<li v-if="item.visible">{{ item.name }}</li>@endforeach"#
        #expect(try render(source, #"{"items": [{"name": "a", "visible": true}, {"name": "b"}, {"name": "c", "visible": 1}]}"#)
            == "<li>a</li><li>c</li>")
    }

    @Test func directivesAndVIfNest() throws {
        let source = #"<ul v-if="list | length">@foreach(x in list)<li v-if="x gt 1">{{ x }}</li>@endforeach</ul>"#
        #expect(try render(source, #"{"list": [1, 2, 3]}"#) == "<ul><li>2</li><li>3</li></ul>")
        #expect(try render(source, #"{"list": []}"#) == "")
    }

    @Test func templateWrapperRendersOnlyItsContent() throws {
        let source = #"<template v-if="ok"><b>yes</b></template><template v-else><i>no</i></template>"#
        #expect(try render(source, #"{"ok": true}"#) == "<b>yes</b>")
        #expect(try render(source, #"{"ok": false}"#) == "<i>no</i>")
    }

    @Test func vIfOnAScriptKeepsItsContentRaw() throws {
        let source = #"<script v-if="var.analytics" src="a.js">track('{{ x }}')</script>"#
        #expect(try render(source, #"{"var": {"analytics": true}}"#) == #"<script src="a.js">track('{{ x }}')</script>"#)
        #expect(try render(source, #"{"var": {}}"#) == "")
    }

    @Test func vIfInsideHTMLCommentsIsLeftAlone() throws {
        let source = #"<!-- <p v-if="x">old</p> -->"#
        #expect(try render(source) == source)
    }

    @Test func vIfInsideBrowserScriptsIsLeftAlone() throws {
        let source = #"<script>tpl = '<p v-if="x">a</p>';</script>"#
        #expect(try render(source) == source)
    }
}
