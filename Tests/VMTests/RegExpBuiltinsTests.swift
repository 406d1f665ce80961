import Testing
import SluiceCompiler
@testable import SluiceVM

/// Runs `source` as a function body and returns String(result) or the error description.
private func js(_ source: String, limits: Limits = Limits(instructions: 50_000_000), stress: Bool = false) -> String {
    let rt = Runtime()
    rt.heap.stressMode = stress
    let program: Program
    do {
        program = try Compiler.compile(source: source, name: "test.js")
    } catch {
        return "CompileError: \(error)"
    }
    switch rt.run(program, limits: limits) {
    case .success(let v):
        do { return try rt.toSwiftString(v) } catch { return "ToStringError" }
    case .failure(let e):
        return "\(e)"
    }
}

@Suite struct RegExpBuiltinsTests {
    @Test func execResult() {
        #expect(js("var m = /a(b)?(c)/.exec('xac'); return [m.index, m[0], m[1], m[2], m.length, m.input].join('|')")
                == "1|ac||c|3|xac")
        #expect(js("var m = /(?<y>\\d+)-(?<m>\\d+)/.exec('on 2020-12'); return m.groups.y + '/' + m.groups.m")
                == "2020/12")
        #expect(js("var m = /b(c)/d.exec('abc'); return JSON.stringify(m.indices)") == "[[1,3],[2,3]]")
        #expect(js("return /x/.exec('abc')") == "null")
        #expect(js("var re = /a/g; re.exec('aa'); var i1 = re.lastIndex; re.exec('aa'); var i2 = re.lastIndex; re.exec('aa'); return [i1, i2, re.lastIndex].join()")
                == "1,2,0")
        #expect(js("var re = /a/y; re.lastIndex = 1; return String(re.test('ab')) + re.lastIndex") == "false0")
    }

    @Test func constructorAndAccessors() {
        #expect(js("var re = /a/g; return RegExp(re) === re") == "true")
        #expect(js("var re = /a/g; return new RegExp(re) === re") == "false")
        #expect(js("return new RegExp(/ab/g, 'i').flags") == "i")
        #expect(js("return String(new RegExp('a/b\\n'))") == "/a\\/b\\n/")
        #expect(js("return new RegExp('').source") == "(?:)")
        #expect(js("return /a/dgimsuy.flags") == "dgimsuy")
        #expect(js("return RegExp.prototype.global === undefined && RegExp.prototype.source") == "(?:)")
        #expect(js("return RegExp.prototype.toString.call(/a/g)") == "/a/g")
        #expect(js("return RegExp[Symbol.species] === RegExp") == "true")
        #expect(js("try { new RegExp('('); } catch (e) { return e instanceof SyntaxError }") == "true")
        #expect(js("try { new RegExp('a', 'gg'); } catch (e) { return e.name }") == "SyntaxError")
        #expect(js("try { new RegExp('a', 'uv'); } catch (e) { return e.name }") == "SyntaxError")
        #expect(js("var r = /[\\p{L}--[a-z]]/v; return r.unicodeSets + r.flags + r.test('a') + r.test('B')") == "truevfalsetrue")
        #expect(js("return Object.getOwnPropertyDescriptor(/a/, 'lastIndex').writable") == "true")
    }

    @Test func stringMethods() {
        #expect(js("return 'a-b_c'.replace(/[-_]/g, '+')") == "a+b+c")
        #expect(js("return 'John Smith'.replace(/(\\w+)\\s(\\w+)/, '$2, $1')") == "Smith, John")
        #expect(js("return 'abc'.replace(/b/, \"[$`|$&|$'|$$]\")") == "a[a|b|c|$]c")
        #expect(js("return '2020-12'.replace(/(?<y>\\d+)-(?<m>\\d+)/, '$<m>/$<y>')") == "12/2020")
        #expect(js("return 'abc'.replace(/(b)/, function (m, p1, off, s) { return p1.toUpperCase() + off })") == "aB1c")
        #expect(js("return 'aaa'.replace('a', 'b')") == "baa")
        #expect(js("return 'aaa'.replaceAll('a', 'b')") == "bbb")
        #expect(js("return 'x'.replaceAll('', '_')") == "_x_")
        #expect(js("try { 'a'.replaceAll(/a/, 'b') } catch (e) { return e.name }") == "TypeError")
        #expect(js("return 'a1b22c'.match(/\\d+/g).join()") == "1,22")
        #expect(js("return 'abc'.match(/x/g)") == "null")
        #expect(js("return 'abcb'.search(/b/)") == "1")
        #expect(js("return 'a b  c'.split(' ').length") == "4")
        #expect(js("return 'a1b2c'.split(/(\\d)/).join('|')") == "a|1|b|2|c")
        #expect(js("return 'abc'.split('').join('|')") == "a|b|c")
        #expect(js("return 'abc'.split(/(?:)/).join('|')") == "a|b|c")
        #expect(js("return 'a,b,c'.split(',', 2).join('|')") == "a|b")
        #expect(js("return ''.split(/x/).length") == "1")
        #expect(js("return [...'a1b2'.matchAll(/\\d/g)].map(m => m[0] + m.index).join()") == "11,23")
        #expect(js("return 'aaa'.replace(/a*?/g, '-')") == "-a-a-a-")
        #expect(js("return '\\u{1F600}x'.replace(/(?:)/gu, '-')") == "-\u{1F600}-x-")
    }

    @Test func userExecAndSubclassing() {
        #expect(js("""
            var re = /a/; var calls = 0;
            re.exec = function (s) { calls++; return null; };
            return String(re.test('a')) + calls
            """) == "false1")
        #expect(js("""
            class R extends RegExp { exec(s) { return super.exec(s.toUpperCase()) } }
            return new R('A').test('a')
            """) == "true")
        #expect(js("""
            var re = /b/g; re.lastIndex = 5;
            var r = 'abcb'.replace(re, 'x'); return r + re.lastIndex
            """) == "axcx0")
    }

    @Test func survivesCollectionAtEverySafePoint() {
        #expect(js("""
            var out = [];
            for (var i = 0; i < 20; i++) {
              var s = 'k' + i + '=v' + i + ';x' + i + '=y';
              out.push(s.replace(/(\\w+)=(\\w+)/g, function (m, a, b) { var junk = [a, b, {}]; return b + ':' + a; }));
              out.push(s.split(/[=;]/).join('|'));
              out.push(String([...s.matchAll(/(?<k>\\w)(\\d+)/g)].map(m => m.groups.k + m[2])));
              var re = /(\\d)/g; re.exec = function (str) { var r = RegExp.prototype.exec.call(this, str); [1, 2, 3].map(x => ({x})); return r; };
              out.push(s.replace(re, '<$1>'));
              out.push(s.split({ [Symbol.split](str, lim) { return str.toUpperCase(); } }));
            }
            return out.slice(-5).join(' ');
            """, stress: true) == "v19:k19;y:x19 k19|v19|x19|y k19,v19,x19 k<1><9>=v<1><9>;x<1><9>=y K19=V19;X19=Y")
    }

    @Test func literalsInLoopsAndBudget() {
        #expect(js("var n = 0; for (var i = 0; i < 100; i++) { if (/^\\d+$/.test(String(i))) n++ } return n") == "100")
        let r = js("return /(a+)+$/.test('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!')", limits: Limits(instructions: 1_000_000))
        #expect(r == "budget exceeded: instructions")
    }
}
