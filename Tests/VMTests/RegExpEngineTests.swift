import Testing
@testable import SluiceVM

/// Runs the engine directly: "[\"match\"@index, …]" with undefined captures spelled out, "null",
/// "SyntaxError: …", or "ERR …".
private func rx(_ rt: Runtime, _ pattern: String, _ flags: String, _ input: String, from: Int = 0) -> String {
    let fl: RxFlags
    switch RxFlags.parse(ContiguousArray(flags.utf16)) {
    case .success(let f): fl = f
    case .failure(let e): return "FlagError: " + e.message
    }
    switch RxProgram.compile(pattern: Array(pattern.utf16), flags: fl) {
    case .failure(let e): return "SyntaxError: " + e.message
    case .success(let prog):
        let m = RxMatcher(program: prog)
        let units = ContiguousArray(input.utf16)
        do {
            guard try m.search(units, from: from, sticky: fl.contains(.sticky), rt: rt) else { return "null" }
            var parts: [String] = []
            for i in 0...prog.captureCount {
                if let r = m.capture(i) {
                    parts.append("\"" + String(decoding: units[r], as: UTF16.self) + "\"@\(r.lowerBound)")
                } else {
                    parts.append("undefined")
                }
            }
            return "[" + parts.joined(separator: ", ") + "]"
        } catch {
            return "ERR \(error)"
        }
    }
}

@Suite struct RegExpEngineTests {
    let rt = Runtime()

    @Test func basicsAndBacktracking() {
        #expect(rx(rt, "a", "", "xa") == "[\"a\"@1]")
        #expect(rx(rt, "a|ab", "", "abc") == "[\"a\"@0]")
        #expect(rx(rt, "((a)|(ab))((c)|(bc))", "", "abc")
                == "[\"abc\"@0, \"a\"@0, \"a\"@0, undefined, \"bc\"@1, undefined, \"bc\"@1]")
        #expect(rx(rt, "a[a-z]{2,4}", "", "abcdefghi") == "[\"abcde\"@0]")
        #expect(rx(rt, "a[a-z]{2,4}?", "", "abcdefghi") == "[\"abc\"@0]")
        #expect(rx(rt, "(aa|aabaac|ba|b|c)*", "", "aabaac") == "[\"aaba\"@0, \"ba\"@2]")
        #expect(rx(rt, ".*foo", "", "xxfooyyfoozz") == "[\"xxfooyyfoo\"@0]")
        #expect(rx(rt, "(?:a{0,2}){3}x", "", "aaaaaax") == "[\"aaaaaax\"@0]")
        #expect(rx(rt, "", "", "abc") == "[\"\"@0]")
        #expect(rx(rt, "a|", "", "b") == "[\"\"@0]")
        #expect(rx(rt, "[]", "", "a") == "null")
        #expect(rx(rt, "[^]", "", "\n") == "[\"\n\"@0]")
        // Start positions skipped after a failed leading greedy scan.
        #expect(rx(rt, "\\w+@", "", "ab cd@") == "[\"cd@\"@3]")
        #expect(rx(rt, "a*b", "", "aaac aab") == "[\"aab\"@5]")
        #expect(rx(rt, "(\\w+)\\d", "", "xx abc1") == "[\"abc1\"@3, \"abc\"@3]")
        #expect(rx(rt, "(a+)b\\1", "", "aaabaa") == "[\"aabaa\"@1, \"aa\"@1]")
    }

    @Test func quantifierCaptureResetAndEmptyCheck() {
        #expect(rx(rt, "((a)|b)+", "", "ab") == "[\"ab\"@0, \"b\"@1, undefined]")
        #expect(rx(rt, "(z)((a+)?(b+)?(c))*", "", "zaacbbbcac")
                == "[\"zaacbbbcac\"@0, \"z\"@0, \"ac\"@8, \"a\"@8, undefined, \"c\"@9]")
        #expect(rx(rt, "(a*)*", "", "b") == "[\"\"@0, undefined]")
        #expect(rx(rt, "(a*)b\\1+", "", "baaaac") == "[\"b\"@0, \"\"@0]")
        #expect(rx(rt, "(a|)*b", "", "aab") == "[\"aab\"@0, \"a\"@1]")
        #expect(rx(rt, "(?:(a)|b)*", "", "ab") == "[\"ab\"@0, undefined]")
        #expect(rx(rt, "(a?)??b", "", "ab") == "[\"ab\"@0, \"a\"@0]")
    }

    @Test func lookaroundAndBackreferences() {
        #expect(rx(rt, "(?=(a+))", "", "baaabac") == "[\"\"@1, \"aaa\"@1]")
        #expect(rx(rt, "(?=(a+))a*b\\1", "", "baaabac") == "[\"aba\"@3, \"a\"@3]")
        #expect(rx(rt, "(.*?)a(?!(a+)b\\2c)\\2(.*)", "", "baaabaac")
                == "[\"baaabaac\"@0, \"ba\"@0, undefined, \"abaac\"@3]")
        #expect(rx(rt, "(?<=\\$)\\d+(\\.\\d*)?", "", "cost $10.53") == "[\"10.53\"@6, \".53\"@8]")
        #expect(rx(rt, "(?<=(\\d+)(\\d+))$", "", "1053") == "[\"\"@4, \"1\"@0, \"053\"@1]")
        #expect(rx(rt, "(?<=\\1(a))b", "", "aab") == "[\"b\"@2, \"a\"@1]")
        #expect(rx(rt, "(?<!a)b", "", "abcb") == "[\"b\"@3]")
        #expect(rx(rt, "(?!(a))\\1b", "", "b") == "[\"b\"@0, undefined]")
        #expect(rx(rt, "\\1(a)", "", "aa") == "[\"a\"@0, \"a\"@0]")
        #expect(rx(rt, "(?<year>\\d{4})-(?<m>\\d\\d)", "", "x2020-12") == "[\"2020-12\"@1, \"2020\"@1, \"12\"@6]")
        #expect(rx(rt, "\\k<a>(?<a>x)", "", "x") == "[\"x\"@0, \"x\"@0]")
        #expect(rx(rt, "(a)\\1", "i", "aA") == "[\"aA\"@0, \"a\"@0]")
    }

    @Test func assertionsAndFlags() {
        #expect(rx(rt, "^b", "m", "a\nb") == "[\"b\"@2]")
        #expect(rx(rt, "^b", "", "a\nb") == "null")
        #expect(rx(rt, "\\bfoo\\b", "", "a foo b") == "[\"foo\"@2]")
        #expect(rx(rt, "a.c", "", "a\nc") == "null")
        #expect(rx(rt, "a.c", "s", "a\nc") == "[\"a\nc\"@0]")
        #expect(rx(rt, "ABC", "i", "xabc") == "[\"abc\"@1]")
        #expect(rx(rt, "[^a]", "i", "A") == "null")
        #expect(rx(rt, "ß", "i", "SS") == "null")
        #expect(rx(rt, "ſ", "i", "s") == "null")
        #expect(rx(rt, "ſ", "ui", "S") == "[\"S\"@0]")
        #expect(rx(rt, "\\w", "ui", "\u{17F}") == "[\"\u{17F}\"@0]")
        #expect(rx(rt, "\\W", "ui", "\u{17F}") == "null")
        #expect(rx(rt, "[\\u0390]", "ui", "\u{1FD3}") == "[\"\u{1FD3}\"@0]")
        #expect(rx(rt, "\\s+", "", "a \u{3000}\u{FEFF}b") == "[\" \u{3000}\u{FEFF}\"@1]")
        #expect(rx(rt, "b", "y", "ab") == "null")
    }

    @Test func unicodeMode() {
        #expect(rx(rt, "\\u{1F600}", "u", "x😀") == "[\"😀\"@1]")
        #expect(rx(rt, "^.$", "u", "😀") == "[\"😀\"@0]")
        #expect(rx(rt, "^.$", "", "😀") == "null")
        #expect(rx(rt, "\\udf06", "u", "\u{1D306}") == "null")
        #expect(rx(rt, "\\ud83d\\ude00", "u", "😀") == "[\"😀\"@0]")
        #expect(rx(rt, "[😀]", "u", "😀") == "[\"😀\"@0]")
        #expect(rx(rt, "\u{10400}", "ui", "\u{10428}") == "[\"\u{10428}\"@0]")
        #expect(rx(rt, "\\p{Lu}", "u", "aB") == "[\"B\"@1]")
        #expect(rx(rt, "\\p{Script=Greek}", "u", "a") == "SyntaxError: Invalid property name")
    }

    @Test func unicodeSetsMode() {
        #expect(rx(rt, "[\\w&&[a-c]]+", "v", "xabcd") == "[\"abc\"@1]")
        #expect(rx(rt, "[\\w--[a-c]]+", "v", "abcd_") == "[\"d_\"@3]")
        #expect(rx(rt, "[[a-z]--[aeiou]]+", "v", "aebcdi") == "[\"bcd\"@2]")
        #expect(rx(rt, "[\\q{abc|d}x]", "v", "zabc") == "[\"abc\"@1]")
        #expect(rx(rt, "^[\\q{abc|ab}]$", "v", "ab") == "[\"ab\"@0]")
        #expect(rx(rt, "[^\\q{ab}]", "v", "") == "SyntaxError: Negated character class may contain strings")
        #expect(rx(rt, "[a-z&&b]", "v", "") == "SyntaxError: Invalid set operation in character class")
        #expect(rx(rt, "[(]", "v", "") == "SyntaxError: Invalid character in character class")
        #expect(rx(rt, "[a&&&b]", "v", "") == "SyntaxError: Invalid character in character class")
        #expect(rx(rt, "^\\s+$", "v", " \t") == "[\" \t\"@0]")
        #expect(rx(rt, "[\\p{Lu}&&\\p{ASCII}]", "vi", "é") == "null")
    }

    @Test func syntax() {
        #expect(rx(rt, "{1}", "", "") == "SyntaxError: Nothing to repeat")
        #expect(rx(rt, "a**", "", "") == "SyntaxError: Nothing to repeat")
        #expect(rx(rt, "[b-a]", "", "") == "SyntaxError: Range out of order in character class")
        #expect(rx(rt, "a{2,1}", "", "") == "SyntaxError: numbers out of order in {} quantifier")
        #expect(rx(rt, "\\b+", "", "") == "SyntaxError: Nothing to repeat")
        #expect(rx(rt, "(?<a>.)(?<a>.)", "", "") == "SyntaxError: Duplicate capture group name")
        #expect(rx(rt, "\\k<b>(?<a>.)", "", "") == "SyntaxError: Invalid named capture referenced")
        #expect(rx(rt, "\\-", "u", "") == "SyntaxError: Invalid escape")
        #expect(rx(rt, "(", "", "") == "SyntaxError: Unterminated group")
        #expect(rx(rt, ")", "", "") == "SyntaxError: Unmatched ')'")
        #expect(rx(rt, "a", "uv", "") == "FlagError: Invalid flags")
        // Annex B forms.
        #expect(rx(rt, "a{", "", "a{") == "[\"a{\"@0]")
        #expect(rx(rt, "]", "", "]") == "[\"]\"@0]")
        #expect(rx(rt, "\\k", "", "k") == "[\"k\"@0]")
        #expect(rx(rt, "\\8", "", "8") == "[\"8\"@0]")
        #expect(rx(rt, "\\101", "", "A") == "[\"A\"@0]")
        #expect(rx(rt, "[\\d-x]", "", "-") == "[\"-\"@0]")
        #expect(rx(rt, "\\cA", "", "\u{1}") == "[\"\u{1}\"@0]")
        #expect(rx(rt, "\\c1", "", "\\c1") == "[\"\\c1\"@0]")
        #expect(rx(rt, "[\\c1]", "", "\u{11}") == "[\"\u{11}\"@0]")
        #expect(rx(rt, "\\u{61}", "", "u{61}") == "null")
        #expect(rx(rt, "(?=a)*a", "", "a") == "[\"a\"@0]")
        #expect(rx(rt, "(?=a)*a", "u", "a") == "SyntaxError: Invalid quantifier")
    }

    @Test func deepNestingIsASyntaxErrorNotACrash() {
        let deep = String(repeating: "(", count: 10_000) + String(repeating: ")", count: 10_000)
        #expect(rx(rt, deep, "", "x").hasPrefix("SyntaxError"))
        let ok = String(repeating: "(?:", count: 200) + "a" + String(repeating: ")*", count: 200)
        #expect(rx(rt, ok, "", "aaa") == "[\"aaa\"@0]")
    }

    @Test func longSubjectsUseNoNativeRecursion() {
        let big = String(repeating: "ab", count: 50_000)
        #expect(rx(rt, "(a|b)*$", "", big).hasPrefix("[\"abab"))
        #expect(rx(rt, "((?:a|b)(?=[ab]|$))*$", "", big).hasPrefix("[\"abab"))
        #expect(rx(rt, "$(?<=^(?:ab)*)", "", big) == "[\"\"@100000]")
    }

    @Test func catastrophicBacktrackingEndsWithBudgetError() throws {
        let rt = Runtime()
        rt.budget.instructionsLeft = 1_000_000
        let re = try rt.newRegExp(pattern: rt.newString("(a+)+$"), flags: rt.newString(""))
        let test = try rt.get(Value(re), rt.key("test"))
        let subject = Value(try rt.newString(String(repeating: "a", count: 38) + "!"))
        var terminated = false
        do {
            _ = try rt.call(test, this: Value(re), arguments: [subject])
        } catch {
            if case .terminated(.instructions) = error { terminated = true }
        }
        #expect(terminated)
        // The runtime stays usable.
        rt.budget.instructionsLeft = .max
        let re2 = try rt.newRegExp(pattern: rt.newString("a(b)"), flags: rt.newString(""))
        let r = try rt.call(test, this: Value(re2), arguments: [Value(try rt.newString("xab"))])
        #expect(r == .true)
    }
}
