import Foundation
import Testing
@testable import SluiceVM
import SluiceCompiler

/// Objects used as hash maps with computed string keys: `'key' + n` results that reuse existing
/// atoms, long keys that share the atom table's eight-unit prefix, atoms surviving collections,
/// and attribute changes on dictionary-mode objects (the property table caches attributes).
@Suite struct StringKeyTests {
    func run(_ source: String, stress: Bool) async -> String? {
        await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
            let thread = Thread {
                continuation.resume(returning: BuiltinsBTests.runNow(source, stress: stress, limits: .unlimited))
            }
            thread.stackSize = 64 << 20
            thread.start()
        }
    }

    @Test(arguments: [false, true]) func concatenatedKeys(stress: Bool) async {
        #expect(await run("""
            var map = {};
            for (var i = 0; i < 300; i++) { var k = 'key' + (i % 100); map[k] = (map[k] || 0) + 1; }
            eq(Object.keys(map).length, 100); eq(map.key7, 3); eq(map['key' + 99], 3);
            eq('key' + 7, 'key7'); eq(('key' + 7).length, 4); eq(7 + 'key', '7key');
            var back = {}; back[7 + 'key'] = 1; eq(back['7key'], 1);
            eq('key' + 1.5, 'key1.5'); eq('key' + -3, 'key-3');
            var arr = []; arr['' + 3] = 'x'; eq(arr.length, 4); eq(arr[3], 'x');
            var o = {}; o[1 + ''] = 'a'; eq(o[1], 'a'); eq(Object.keys(o)[0], '1');
            for (i = 0; i < 100; i += 2) delete map['key' + i];
            eq(Object.keys(map).length, 50); eq('key4' in map, false); eq(map.hasOwnProperty('key5'), true);
            var count = 0; for (var name in map) count++; eq(count, 50);
            eq('toString' in map, true); eq(map.hasOwnProperty('toString'), false);
            """, stress: stress) == nil)
    }

    @Test func longKeysSharingThePrefix() async {
        #expect(await run("""
            var map = {};
            for (var i = 0; i < 500; i++) map['abcdefghij' + i] = i;
            for (i = 0; i < 500; i++) eq(map['abcdefghij' + i], i);
            eq(map['abcdefghij' + 500], undefined); eq(map.abcdefghij42, 42);
            eq(map['abcdefghi' + 'j42'], 42); eq('abcdefghij7' in map, true); eq('abcdefghik7' in map, false);
            """, stress: false) == nil)
    }

    @Test func atomsOutliveCollections() async {
        let rt = Runtime()
        let program = try! Compiler.compile(source: """
            var map = {};
            for (var i = 0; i < 2000; i++) map['k' + i] = i;
            var junk = [];
            for (i = 0; i < 20000; i++) junk.push({ s: 'x' + i + 'y' });
            junk = null;
            var ok = 0;
            for (i = 0; i < 2000; i++) if (map['k' + i] === i && ('k' + i) === 'k' + String(i)) ok++;
            globalThis.map = map;
            return ok;
            """, name: "atoms.js", options: .functionBody)
        let before = rt.heap.collectionCount
        switch rt.run(program, limits: .unlimited) {
        case .success(let v): #expect(rt.scriptValue(from: v) == .number(2000))
        case .failure(let e): Issue.record("\(e)")
        }
        rt.collectGarbage()
        #expect(rt.heap.collectionCount > before)
        #expect(rt.key("k1999").isString)
        let again = try! Compiler.compile(source: "return map['k' + 1999] + map.k0", name: "again.js", options: .functionBody)
        switch rt.run(again, limits: .unlimited) {
        case .success(let v): #expect(rt.scriptValue(from: v) == .number(1999))
        case .failure(let e): Issue.record("\(e)")
        }
    }

    @Test func attributeChangesOnBigDictionaries() async {
        #expect(await run("""
            var map = {};
            for (var i = 0; i < 300; i++) map['p' + i] = i;
            Object.defineProperty(map, 'p5', { writable: false });
            map.p5 = 99; eq(map.p5, 5);
            map['p' + 6] = 60; eq(map.p6, 60);
            Object.defineProperty(map, 'p7', { get: function () { return 'got'; } });
            eq(map['p' + 7], 'got');
            Object.defineProperty(map, 'p8', { enumerable: false });
            eq(Object.keys(map).indexOf('p8'), -1); eq(Object.keys(map).length, 299);
            Object.freeze(map); map.p9 = 1; eq(map.p9, 9);
            throws(TypeError, function () { 'use strict'; map['p' + 10] = 1; });
            """, stress: false) == nil)
    }
}
