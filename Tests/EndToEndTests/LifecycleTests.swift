import Foundation
import Testing

/// The request lifecycle of the contract (§3) over HTTP: routing, bodies, terminal calls, errors,
/// budgets, modules, headers, redirects, cookies and sessions.
@Suite(.serialized) struct LifecycleTests {
    @Test func routingWildcardsStaticFilesAndMethods() throws {
        let site = TestServer.makeSite([
            "pages/index.html": "<p>home</p>",
            "pages/courses/{course}.html": #"<script scope="backend">setVariable('c', request.route_params.course)</script><p>course {{ var.c }}</p>"#,
            "pages/courses/intro.html": "<p>exact intro</p>",
            "pages/docs/index.html": "<p>docs index</p>",
            "public/app.css": "body{}",
            "public/.secret": "no",
        ])
        let server = try TestServer(sites: [site])
        let c = server.client()
        #expect(try c.get("/").text.contains("home"))
        #expect(try c.get("/courses/yoga").text.contains("course yoga"))
        #expect(try c.get("/courses/intro").text.contains("exact intro"))
        #expect(try c.get("/docs").text.contains("docs index"))
        #expect(try c.get("/docs/").text.contains("docs index"))
        let css = try c.get("/app.css")
        #expect(css.status == 200)
        #expect(css.header("content-type")?.hasPrefix("text/css") == true)
        #expect(try c.get("/.secret").status == 404)
        #expect(try c.get("/../site.json").status == 404)
        #expect(try c.get("/%2e%2e/site.json").status == 404)
        #expect(try c.get("/nothing-here").status == 404)
        #expect(try c.request("PUT", "/").status == 405)
        #expect(try c.request("DELETE", "/courses/yoga").status == 405)
        let head = try c.request("HEAD", "/courses/yoga")
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        // A page added while serving is routed without a restart.
        FileManager.default.createFile(atPath: site + "/pages/late.html", contents: Data("<p>late page</p>".utf8))
        #expect(try c.get("/late").text.contains("late page"))
        server.stop()
    }

    @Test func bodiesAndContentTypes() throws {
        let site = TestServer.makeSite([
            "pages/echo.html": #"<script scope="backend">response.json({ method: request.method, body: request.body })</script>"#,
        ])
        let server = try TestServer(sites: [site])
        let c = server.client()
        let parsed = json(try c.postJSON("/echo", #"{"a": [1, 2], "b": "é"}"#))
        #expect((parsed?["body"] as? [String: Any])?["b"] as? String == "é")
        let form = json(try c.postForm("/echo", "x=1&y=hello+world&x=2"))
        #expect((form?["body"] as? [String: Any])?["x"] as? String == "2")
        #expect((form?["body"] as? [String: Any])?["y"] as? String == "hello world")
        #expect(json(try c.postJSON("/echo", "{not json"))?["body"] is NSNull)
        let text = try c.request("POST", "/echo", headers: [("Content-Type", "text/plain")], body: Array("hi".utf8))
        #expect(json(text)?["body"] is NSNull)
        let big = "{\"pad\": \"" + String(repeating: "x", count: 70_000) + "\"}"
        let oversized = try c.postJSON("/echo", big)
        #expect(oversized.status == 200)
        #expect(json(oversized)?["body"] is NSNull)
        let justUnder = "{\"pad\": \"" + String(repeating: "x", count: 65_000) + "\"}"
        #expect((json(try c.postJSON("/echo", justUnder))?["body"] as? [String: Any])?["pad"] != nil)
        #expect(json(try c.get("/echo"))?["body"] is NSNull)
        server.stop()
    }

    @Test func terminalCallsHaltEvenInsideTryFinally() throws {
        let site = TestServer.makeSite([
            "pages/t.html": """
                <script scope="backend">
                try { response.status(201); response.json({ first: true }); }
                catch (e) { response.json({ caught: true }); }
                finally { response.json({ finally: true }); }
                </script>
                """,
            "pages/loop.html": """
                <script scope="backend">
                [1, 2, 3].forEach(function (n) { if (n === 2) redirect('/done?n=' + n, 301); });
                setVariable('never', 1);
                </script><p>{{ var.never }}</p>
                """,
            "pages/send.html": #"<script scope="backend">response.send('<b>raw</b>')</script><p>template</p>"#,
        ])
        let server = try TestServer(sites: [site])
        let c = server.client()
        let t = try c.get("/t")
        #expect(t.status == 201)
        #expect(t.text == #"{"first":true}"#)
        let loop = try c.get("/loop")
        #expect(loop.status == 301)
        #expect(loop.header("location") == "/done?n=2")
        let send = try c.get("/send")
        #expect(send.text == "<b>raw</b>")
        #expect(send.header("content-type")?.hasPrefix("text/html") == true)
        server.stop()
    }

    @Test func errorsAndBudgetsRenderThePageWithEarlierEffects() throws {
        let site = TestServer.makeSite([
            "pages/err.html": """
                <script scope="backend">
                setVariable('before', 'kept');
                response.status(503);
                setHeader('X-Before', 'yes');
                null.boom;
                setVariable('after', 'lost');
                </script><p>[{{ var.before }}][{{ var.after }}]</p>
                """,
            "pages/spin.html": "<script scope=\"backend\">setVariable('s', 'started'); while (true) {}</script><p>{{ var.s }}</p>",
            "pages/bomb.html": "<script scope=\"backend\">var a = []; while (true) a.push('x'.repeat(1000) + a.length);</script><p>bomb page</p>",
            "pages/deep.html": """
                <script scope="backend">
                function f(n) { return f(n + 1) + 1; }
                try { f(0); } catch (e) { setVariable('caught', e.name); }
                </script><p>{{ var.caught }}</p>
                """,
            "pages/syntax.html": "<script scope=\"backend\">var = ;</script><p>still renders</p>",
            "pages/fast.html": "<p>fast</p>",
        ], extraConfig: #""limits": { "instructions": 3000000, "memoryBytes": 4194304, "wallClockMs": 5000 }"#)
        let server = try TestServer(sites: [site])
        let c = server.client()
        let err = try c.get("/err")
        #expect(err.status == 503)
        #expect(err.text.contains("<p>[kept][]</p>"))
        #expect(err.header("x-before") == "yes")
        #expect(!err.text.contains("TypeError"))
        let spin = try c.get("/spin")
        #expect(spin.status == 200)
        #expect(spin.text.contains("started"))
        #expect(try c.get("/bomb").text.contains("bomb page"))
        #expect(try c.get("/deep").text.contains("<p>RangeError</p>"))
        #expect(try c.get("/syntax").text.contains("still renders"))
        #expect(try c.get("/fast").text.contains("fast"))
        server.stop()

        // In --dev the visitor sees the error with its position.
        let dev = try TestServer(sites: [site], dev: true)
        let shown = try dev.client().get("/err")
        #expect(shown.text.contains("TypeError"))
        #expect(shown.text.contains("err.html:5:"))
        dev.stop()
    }

    @Test func aSpinningPageDoesNotStallOthers() throws {
        let site = TestServer.makeSite([
            "pages/spin.html": "<script scope=\"backend\">while (true) {}</script><p>spun</p>",
            "pages/fast.html": "<p>fast</p>",
        ], extraConfig: #""limits": { "wallClockMs": 3000 }"#)
        let server = try TestServer(sites: [site])
        let spinners = (0..<2).map { _ in server.client() }
        let group = DispatchGroup()
        for s in spinners {
            DispatchQueue.global().async(group: group) { _ = try? s.get("/spin") }
        }
        Thread.sleep(forTimeInterval: 0.3)
        let start = Date()
        let fast = try server.client().get("/fast")
        #expect(fast.text.contains("fast"))
        #expect(Date().timeIntervalSince(start) < 2.5)
        group.wait()
        server.stop()
    }

    @Test func modulesNamedDefaultAndMissing() throws {
        let site = TestServer.makeSite([
            "modules/util.js": "export function money(n) { return '$' + n.toFixed(2); }\nexport default { currency: 'USD' };\nsetVariable('module_ran', 'yes');",
            "modules/lib/nested.js": "export const deep = 42;",
            "pages/m.html": """
                <script scope="backend">
                import { money } from "./util.js";
                import cfg from "util";
                import { deep } from "lib/nested";
                setVariable('total', money(12.5) + ' ' + cfg.currency + ' ' + deep);
                </script><p>{{ var.total }} {{ var.module_ran }}</p>
                """,
            "pages/missing.html": """
                <script scope="backend">
                import { nope } from "nowhere";
                setVariable('x', 'ran');
                </script><p>[{{ var.x }}]</p>
                """,
            "pages/badname.html": #"<script scope="backend">import { absent } from "util";</script><p>bad name</p>"#,
        ])
        let server = try TestServer(sites: [site])
        let c = server.client()
        #expect(try c.get("/m").text.contains("<p>$12.50 USD 42 yes</p>"))
        #expect(try c.get("/missing").text.contains("<p>[]</p>"))
        #expect(try c.get("/badname").text.contains("bad name"))
        server.stop()
    }

    /// Reference notes §3 Q6: a module name resolves to modules/NAME.js first, then to the page
    /// with that slug (its backend blocks), nested slugs included.
    @Test func modulesFallBackToPagesWithTheSlug() throws {
        let site = TestServer.makeSite([
            "modules/shared.js": "export const origin = 'module';",
            "pages/shared.html": #"<script scope="backend">export const origin = 'page';</script><p>shared page</p>"#,
            "pages/helpers.html": """
                <p>helpers page</p>
                <script scope="backend">
                export function greet(name) { return 'hi ' + name; }
                </script>
                <script scope="backend">export default 7;</script>
                """,
            "pages/tools/index.html": #"<script scope="backend">export const tool = 'hammer';</script>"#,
            "pages/use.html": """
                <script scope="backend">
                import { greet } from "./helpers.js";
                import seven from "helpers";
                import { origin } from "shared";
                import { tool } from "tools";
                setVariable('out', greet('ann') + ' ' + seven + ' ' + origin + ' ' + tool);
                </script><p>{{ var.out }}</p>
                """,
            "pages/gone.html": #"<script scope="backend">import { x } from "nothing-here"; setVariable('x', 'ran');</script><p>[{{ var.x }}]</p>"#,
        ])
        let server = try TestServer(sites: [site])
        let c = server.client()
        #expect(try c.get("/use").text.contains("<p>hi ann 7 module hammer</p>"))
        // The page itself still renders as a page, its backend blocks stripped.
        let helpers = try c.get("/helpers").text
        #expect(helpers.contains("helpers page") && !helpers.contains("greet"))
        #expect(try c.get("/gone").text.contains("<p>[]</p>"))
        server.stop()
    }

    /// Pages and modules are recompiled as soon as their files change, new pages (in new folders
    /// too) are routed at once, and a broken edit is reported with path, line and column while
    /// the rest of the site keeps serving.
    @Test func editedPagesAndModulesReloadAtOnce() throws {
        let site = TestServer.makeSite([
            "modules/prices.js": "export const price = 10;",
            "pages/shop.html": #"<script scope="backend">import { price } from "prices"; setVariable('p', price);</script><p>price {{ var.p }}</p>"#,
            "pages/other.html": "<p>other page</p>",
        ])
        func write(_ relative: String, _ text: String) throws {
            let url = URL(fileURLWithPath: site + "/" + relative)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: false, encoding: .utf8)
        }
        let server = try TestServer(sites: [site], dev: true)
        let c = server.client()
        #expect(try c.get("/shop").text.contains("<p>price 10</p>"))

        try write("modules/prices.js", "export const price = 12;")
        #expect(try c.get("/shop").text.contains("<p>price 12</p>"))

        try write("modules/prices.js", "export const price = 12;\nexport const broken = ;")
        let broken = try c.get("/shop")
        #expect(broken.text.contains("SyntaxError") && broken.text.contains("prices.js:2:"))
        #expect(try c.get("/other").text.contains("other page"))

        // Replaced by rename, as editors save: the fixed module is picked up.
        try write("modules/.prices.js.swp", "export const price = 15;")
        #expect(rename(site + "/modules/.prices.js.swp", site + "/modules/prices.js") == 0)
        #expect(try c.get("/shop").text.contains("<p>price 15</p>"))

        try write("pages/shop.html", #"<script scope="backend">import { price } from "prices"; setVariable('p', price * 2);</script><p>double {{ var.p }}</p>"#)
        #expect(try c.get("/shop").text.contains("<p>double 30</p>"))

        // Pages in new folders, one of them a wildcard route.
        try write("pages/deals/today.html", "<p>today's deal</p>")
        #expect(try c.get("/deals/today").text.contains("today's deal"))
        try write("pages/deals/more/{id}.html", #"<script scope="backend">setVariable('id', request.route_params.id)</script><p>deal {{ var.id }}</p>"#)
        #expect(try c.get("/deals/more/7").text.contains("deal 7"))

        try FileManager.default.removeItem(atPath: site + "/pages/other.html")
        #expect(try c.get("/other").status == 404)
        server.stop()
    }

    @Test func redirectsHeadersCookiesAndSessions() throws {
        let site = TestServer.makeSite([
            "pages/r.html": #"<script scope="backend">redirect(query.to, Number(query.status) || undefined)</script><p>not redirected</p>"#,
            "pages/h.html": """
                <script scope="backend">
                setHeader('X-Clean', 'a\\r\\nInjected: 1');
                setHeader('Set-Cookie', 'evil=1');
                setHeader('Access-Control-Allow-Origin', '*');
                setHeader('Connection', 'close');
                cookie.set('theme', 'dark blue', { maxAge: 60 });
                cookie.set('sluice_session', 'forged');
                </script><p>headers</p>
                """,
            "pages/s.html": """
                <script scope="backend">
                if (query.set) { session.set('count', (session.get('count') || 0) + 1); session.set('obj', { a: [1] }); }
                session.set('customer', 'hacker');
                session.set('_internal', 'x');
                setVariable('count', session.get('count'));
                setVariable('obj', session.get('obj'));
                setVariable('reserved', session.get('customer'));
                setVariable('theme', request.cookies.theme);
                </script><p>count={{ var.count }} obj={{ var.obj | json }} reserved={{ var.reserved }} theme={{ var.theme }}</p>
                """,
        ])
        let server = try TestServer(sites: [site])
        let c = server.client()
        let rel = try c.get("/r?to=/next")
        #expect(rel.status == 302)
        #expect(rel.header("location") == "/next")
        let perm = try c.get("/r?to=https://example.com/x&status=301")
        #expect(perm.status == 301)
        #expect(perm.header("location") == "https://example.com/x")
        let blocked = try c.get("/r?to=javascript:alert(1)")
        #expect(blocked.status == 200)
        #expect(blocked.text.contains("not redirected"))
        #expect(try c.get("/r?to=//evil.com").status == 200)

        let h = try c.get("/h")
        #expect(h.header("x-clean") == "aInjected: 1")
        #expect(h.header("injected") == nil)
        #expect(h.header("access-control-allow-origin") == nil)
        #expect(!h.headers("set-cookie").contains { $0.hasPrefix("evil") || $0.hasPrefix("sluice_session=forged") })
        #expect(h.headers("set-cookie").contains { $0.hasPrefix("theme=dark%20blue") && $0.contains("Max-Age=60") })

        #expect(try c.get("/s?set=1").text.contains("count=1"))
        let second = try c.get("/s?set=1")
        #expect(second.text.contains("count=2"))
        #expect(second.text.contains(#"obj={&quot;a&quot;:[1]}"#) || second.text.contains(#"obj={"a":[1]}"#))
        #expect(second.text.contains("reserved= "))
        #expect(second.text.contains("theme=dark blue"))
        // A different visitor has a different session.
        #expect(try server.client().get("/s").text.contains("count= "))
        server.stop()
    }

    @Test func twoSitesAreIsolated() throws {
        let page = """
            <script scope="backend">
            if (query.write) setCrmField({ slug: 'notes', referenceType: 'shared', referenceId: 'same-id', fieldKey: 'text', value: query.write });
            setVariable('text', getCrmField({ slug: 'notes', referenceType: 'shared', referenceId: 'same-id', fieldKey: 'text' }));
            </script><p>{{ brand.name }}: [{{ var.text }}]</p>
            """
        let a = TestServer.makeSite(["pages/index.html": page], name: "Site A", extraConfig: #""hosts": ["a.test"]"#)
        let b = TestServer.makeSite(["pages/index.html": page], name: "Site B", extraConfig: #""hosts": ["b.test"]"#)
        let server = try TestServer(sites: [a, b])
        let ca = server.client(host: "a.test"), cb = server.client(host: "b.test")
        #expect(try ca.get("/?write=secret-a").text.contains("Site A: [secret-a]"))
        #expect(try cb.get("/").text.contains("Site B: []"))
        #expect(try cb.get("/?write=b-value").text.contains("Site B: [b-value]"))
        #expect(try ca.get("/").text.contains("Site A: [secret-a]"))
        server.stop()
    }
}
