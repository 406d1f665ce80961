import Foundation
import Testing
@testable import SluiceHost

/// What a page script sees of `request`, end to end: key order, attributes, freezing (deep into
/// the body's arrays and objects), repeated JSON keys, index-like keys, and that every write
/// fails. The expected text is what the server gave before the request object got its own
/// builder; it must not change.
@Suite struct RequestObjectIntegrityTests {
    static let page = """
        <script scope="backend">
          'use strict';
          function attrs(o) {
            return Object.getOwnPropertyNames(o).map(function (k) {
              var d = Object.getOwnPropertyDescriptor(o, k);
              return k + ':' + (d.writable ? 'w' : '-') + (d.enumerable ? 'e' : '-') + (d.configurable ? 'c' : '-');
            }).join(',');
          }
          var tries = [];
          function attempt(f) { try { f(); tries.push('ok'); } catch (e) { tries.push(e.name); } }
          attempt(function () { request.method = 'x'; });
          attempt(function () { request.added = 1; });
          attempt(function () { delete request.body; });
          attempt(function () { request.body.b = 0; });
          attempt(function () { request.body.a.push(1); });
          attempt(function () { request.body.a[1].x = 0; });
          attempt(function () { request.headers.host = 'x'; });
          attempt(function () { Object.defineProperty(request, 'ip', { value: 'x' }); });
          var b = request.body;
          response.json({
            keys: Object.keys(request), top: attrs(request), body: attrs(b), bodyArray: attrs(b.a), nested: attrs(b.a[1]),
            headers: attrs(request.headers), cookies: attrs(request.cookies), query: attrs(request.query),
            values: request,
            frozen: [request, b, b.a, b.a[1], request.headers, request.cookies, request.query].map(Object.isFrozen),
            extensible: [request, b, b.a].map(Object.isExtensible),
            sameQuery: query === request.query, proto: Object.getPrototypeOf(request) === Object.prototype,
            arrayProto: Array.isArray(b.a), forIn: (function () { var k = []; for (var x in b) k.push(x); return k; })(),
            tries: tries
          });
        </script>
        """

    static let expected = #"{"keys":["method","path","query","body","headers","ip","cookies","is_mobile","is_tablet","route_params"],"top":"method:-e-,path:-e-,query:-e-,body:-e-,headers:-e-,ip:-e-,cookies:-e-,is_mobile:-e-,is_tablet:-e-,route_params:-e-","body":"1:-e-,2:-e-,b:-e-,a:-e-,__proto__:-e-,é:-e-","bodyArray":"0:-e-,1:-e-,length:---","nested":"x:-e-","headers":"host:-e-,user-agent:-e-","cookies":"","query":"q:-e-,r:-e-","values":{"method":"POST","path":"/","query":{"q":"2","r":"é"},"body":{"1":"one","2":"two","b":3,"a":[1,{"x":2}],"__proto__":{"p":1},"é":"ü"},"headers":{"host":"localhost","user-agent":"sluice-bench"},"ip":"127.0.0.1","cookies":{},"is_mobile":false,"is_tablet":false,"route_params":null},"frozen":[true,true,true,true,true,true,true],"extensible":[false,false,false],"sameQuery":true,"proto":true,"arrayProto":true,"forIn":["1","2","b","a","__proto__","é"],"tries":["TypeError","TypeError","TypeError","TypeError","TypeError","TypeError","TypeError","TypeError"]}"#

    @Test func theRequestObjectIsDeeplyFrozenWithItsKeysInOrder() throws {
        let root = try PageRuntimePoolReuseTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try PageRuntimePoolReuseTests.writeSite(at: root, name: "Integrity", pages: ["index.html": Self.page])
        let site = try Site(root: root, dataDirectory: root + "/data")
        let host = SiteHost(sites: [site])
        defer { host.drain(); host.close() }
        let body = #"{"b":1,"a":[1,{"x":2}],"b":3,"2":"two","1":"one","__proto__":{"p":1},"é":"ü"}"#
        let request = IncomingRequest(method: "POST", target: "/?q=1&r=%C3%A9&q=2",
                                      headers: [("Host", "localhost"), ("User-Agent", "sluice-bench"),
                                                ("Content-Type", "application/json")],
                                      body: Array(body.utf8), remoteAddress: "127.0.0.1")
        // Twice: the second run reuses the runtime (and the names remembered from the first).
        for _ in 0..<2 {
            #expect(String(decoding: host.handle(request).body, as: UTF8.self) == Self.expected)
        }
    }
}
