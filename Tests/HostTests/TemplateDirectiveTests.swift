import SluiceVM
import Testing

@testable import SluiceHost

/// `@if` / `@foreach`, expressions and truthiness, comments, and what stays literal.
@Suite struct TemplateDirectiveTests {
    func render(_ source: String, _ context: String = "{}") throws -> String {
        try TemplateFixture.render(source, context)
    }

    @Test func ifElseIfElseChoosesTheFirstTruthyBranch() throws {
        let source = "@if(n == 1)one@elseif(n == 2)two@elseif(n == 3)three@else other@endif"
        #expect(try render(source, #"{"n": 1}"#) == "one")
        #expect(try render(source, #"{"n": 2}"#) == "two")
        #expect(try render(source, #"{"n": 3}"#) == "three")
        #expect(try render(source, #"{"n": 9}"#) == " other")
        #expect(try render("a@if(x)b@endif c", #"{}"#) == "a c")
    }

    @Test(arguments: [
        ("false", false), ("true", true), ("0", false), ("1", true), ("-1", true), ("\"\"", false), ("\"0\"", true),
        ("\" \"", true), ("null", false), ("[]", true), ("{}", true), ("[0]", true),
    ])
    func truthinessIsJavaScripts(json: String, truthy: Bool) throws {
        #expect(try render("@if(v)T@else F@endif", #"{"v": \#(json)}"#) == (truthy ? "T" : " F"))
    }

    @Test func undefinedIsFalsy() throws {
        #expect(try render("@if(missing.deep)T@else F@endif") == " F")
        #expect(try render("@if(!missing)T@endif") == "T")
    }

    @Test func comparisonOperatorsAndWordForms() throws {
        let context = #"{"n": 5, "s": "5", "name": "bob"}"#
        let cases: [(String, Bool)] = [
            ("n === 5", true), ("n === s", false), ("n == s", true), ("n !== s", true), ("n != s", false),
            ("n eq s", true), ("n neq 4", true), ("n < 6", true), ("n <= 5", true), ("n > 5", false),
            ("n >= 5", true), ("n lt 5", false), ("n lte 5", true), ("n gt 4", true), ("n gte 6", false),
            ("name == 'bob'", true), ("name < 'carl'", true), ("'10' < '9'", true), ("10 < 9", false),
            ("'10' < 9", false), ("missing < 1", false), ("missing >= 1", false), ("null == undefined", true),
            ("null === undefined", false), ("missing == null", true), ("true == 1", true), ("n == 'five'", false),
        ]
        for (expression, expected) in cases {
            #expect(try render("@if(\(expression))T@else F@endif", context) == (expected ? "T" : " F"), "\(expression)")
        }
    }

    @Test func logicalOperatorsAndPrecedence() throws {
        let context = #"{"a": true, "b": false, "n": 3}"#
        let cases: [(String, Bool)] = [
            ("a && b", false), ("a and !b", true), ("a || b", true), ("b or b", false), ("!a || a && b", false),
            ("!(a && b)", true), ("b && b || a", true), ("n > 1 and n < 5", true), ("n gt 1 and n lt 3", false),
            ("(n == 3 or b) and a", true), ("!missing && n", true),
        ]
        for (expression, expected) in cases {
            #expect(try render("@if(\(expression))T@else F@endif", context) == (expected ? "T" : " F"), "\(expression)")
        }
    }

    @Test func filtersWorkInConditions() throws {
        let context = #"{"items": [1, 2], "none": []}"#
        #expect(try render("@if(items | length gt 1)many@endif", context) == "many")
        #expect(try render("@if(none | length)some@else none@endif", context) == " none")
        #expect(try render("@if((name | default:'x') == 'x')dflt@endif", context) == "dflt")
    }

    @Test func nestedIfs() throws {
        let source = "@if(a)A@if(b)B@else C@endif@else D@endif"
        #expect(try render(source, #"{"a": 1, "b": 1}"#) == "AB")
        #expect(try render(source, #"{"a": 1, "b": 0}"#) == "A C")
        #expect(try render(source, #"{"a": 0, "b": 1}"#) == " D")
    }

    @Test func foreachOverArrays() throws {
        let context = #"{"var": {"categories": [{"name": "Yoga"}, {"name": "Run & Jump"}]}}"#
        #expect(try render("<ul>@foreach(cat in var.categories)<li>{{ cat.name }}</li>@endforeach</ul>", context)
            == "<ul><li>Yoga</li><li>Run &amp; Jump</li></ul>")
    }

    @Test func loopVariables() throws {
        let context = #"{"xs": ["a", "b", "c"]}"#
        let source = "@foreach(x in xs){{ loop.index }}{{ loop.iteration }}{{ x }}{{ loop.count }}{{ loop.remaining }}"
            + "@if(loop.first)F@endif@if(loop.last)L@endif@if(!loop.last),@endif@endforeach"
        #expect(try render(source, context) == "01a32F,12b31,23c30L")
        #expect(try render("@foreach(x in xs){{ loop.key }}@endforeach", context) == "012")
        #expect(try render("@foreach(x in xs)@if(loop.index == 1){{ loop | json | raw }}@endif@endforeach", context)
            == #"{"index":1,"iteration":2,"count":3,"first":false,"last":false,"remaining":1,"key":1}"#)
    }

    @Test func foreachOverObjectValuesWithKeys() throws {
        let context = #"{"prices": {"basic": 10, "pro": 25}}"#
        #expect(try render("@foreach(p in prices){{ loop.key }}={{ p }};@endforeach", context) == "basic=10;pro=25;")
    }

    @Test func foreachOverNonCollectionsRendersNothing() throws {
        for value in ["null", "5", "\"text\"", "true"] {
            #expect(try render("[@foreach(x in v){{ x }}@endforeach]", #"{"v": \#(value)}"#) == "[]")
        }
        #expect(try render("[@foreach(x in missing){{ x }}@endforeach]") == "[]")
    }

    @Test func nestedLoopsAndShadowing() throws {
        let context = #"{"x": "outer", "rows": [{"cells": [1, 2]}, {"cells": [3]}]}"#
        let source = "@foreach(row in rows)[@foreach(x in row.cells){{ x }}:{{ loop.index }}/{{ row.cells.length }} @endforeach]@endforeach{{ x }}"
        #expect(try render(source, context) == "[1:0/2 2:1/2 ][3:0/1 ]outer")
    }

    @Test func loopListIsEvaluatedInTheOuterScope() throws {
        let context = #"{"node": {"children": [{"name": "a"}, {"name": "b"}]}}"#
        #expect(try render("@foreach(node in node.children){{ node.name }}@endforeach", context) == "ab")
    }

    @Test func directiveAloneOnItsLineLeavesNoBlankLine() throws {
        let source = "<ul>\n  @foreach(x in xs)\n  <li>{{ x }}</li>\n  @endforeach\n</ul>\n@if(show)\n<p>yes</p>\n@endif\n"
        #expect(try render(source, #"{"xs": [1, 2], "show": true}"#) == "<ul>\n  <li>1</li>\n  <li>2</li>\n</ul>\n<p>yes</p>\n")
        #expect(try render("a @if(show) b @endif c", #"{"show": true}"#) == "a  b  c")
        #expect(try render("x\r\n@if(show)\r\ny\r\n@endif\r\n", #"{"show": true}"#) == "x\r\ny\r\n")
    }

    @Test func commentsAreRemoved() throws {
        #expect(try render("a{{-- note --}}b") == "ab")
        #expect(try render("a\n{{-- multi\nline {{ var.x | nosuchfilter }} --}}\nb") == "a\nb")
    }

    @Test func directivesInsideAttributes() throws {
        let source = #"<option value="kg" @if(unit == 'kg') selected @endif>kg</option>"#
        #expect(try render(source, #"{"unit": "kg"}"#) == #"<option value="kg"  selected >kg</option>"#)
        #expect(try render(source, #"{"unit": "lbs"}"#) == #"<option value="kg" >kg</option>"#)
        #expect(try render(#"<a href="/c/{{ slug }}?a=1&b={{ q }}">"#, #"{"slug": "x y", "q": "\"1\""}"#)
            == #"<a href="/c/x y?a=1&b=&quot;1&quot;">"#)
    }

    @Test func atSignsThatAreNotDirectivesStayLiteral() throws {
        let source = """
            <style>@media (max-width: 600px) { .a { color: red } } @import url(x.css);</style>
            <a href="mailto:help@example.com">help@if.org</a> <button @click="go">Go</button> @ifx @if no-paren @else-where
            """
        #expect(try render(source) == source)
    }

    @Test func browserScriptsPassThroughUntouched() throws {
        let source = """
            <script src="{{ var.cdn }}/app.js"></script>
            <script>
              var t = '{{ var.x }}'; // @if(x) stays
              el.innerHTML = '<p v-if="ok">{{ msg }}</p>';
            </script>
            <p>{{ var.x }}</p>
            """
        let expected = """
            <script src="https://cdn.test/app.js"></script>
            <script>
              var t = '{{ var.x }}'; // @if(x) stays
              el.innerHTML = '<p v-if="ok">{{ msg }}</p>';
            </script>
            <p>1</p>
            """
        #expect(try render(source, #"{"var": {"cdn": "https://cdn.test", "x": 1}}"#) == expected)
    }

    @Test func loneBracesStayLiteral() throws {
        #expect(try render("a }} b { { c {x}") == "a }} b { { c {x}")
    }
}
