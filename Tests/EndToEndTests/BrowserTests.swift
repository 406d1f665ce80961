import Foundation
import Testing

/// Headless Chromium (Debian's chromium + chromium-driver, over WebDriver) clicks through the
/// example site on a real server: sign in, log a weight with the page's own form and fetch() code,
/// see it on the dashboard.
@Suite(.serialized) struct BrowserTests {
    static let chromedriver = "/usr/bin/chromedriver"
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static var available: Bool { FileManager.default.isExecutableFile(atPath: chromedriver) && chromium != nil }
    static var required: Bool { ProcessInfo.processInfo.environment["SLUICE_REQUIRE_BROWSER"] == "1" }

    @Test func weightCheckinInARealBrowser() throws {
        guard BrowserTests.available else {
            #expect(!BrowserTests.required, "chromium and chromium-driver are required (SLUICE_REQUIRE_BROWSER=1)")
            return
        }
        let server = try TestServer(sites: [TestServer.exampleSite])
        defer { server.stop() }
        let driver = try WebDriver(chromium: BrowserTests.chromium!, chromedriver: BrowserTests.chromedriver)
        defer { driver.quit() }
        let base = "http://localhost:\(server.port)"

        try driver.open(base + "/login")
        try driver.type("#email", "walker@example.com")
        try driver.type("#name", "Walker")
        try driver.click("#sign-in")
        #expect(try driver.waitForText("body", containing: "Current weight: Not logged yet"))

        try driver.open(base + "/weight/checkin")
        try driver.type("#weight", "182")
        try driver.click("button[type=submit]")
        #expect(try driver.waitForText("#result", containing: "Logged: 182 lbs"))

        try driver.open(base + "/dashboard")
        #expect(try driver.waitForText("body", containing: "Current weight: 182"))
    }
}

/// The handful of W3C WebDriver calls the browser test needs, spoken to chromedriver over HTTP.
final class WebDriver {
    private let process = Process()
    private let client: TestHTTPClient
    private var session = ""
    static let elementKey = "element-6066-11e4-a52e-4f735466cecf"

    init(chromium: String, chromedriver: String) throws {
        let port = Int.random(in: 20_000..<40_000)
        process.executableURL = URL(fileURLWithPath: chromedriver)
        process.arguments = ["--port=\(port)", "--log-path=" + NSTemporaryDirectory() + "sluice-chromedriver.log"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        client = TestHTTPClient(port: port)
        var started = false
        for _ in 0..<100 {
            if (try? client.get("/status"))?.status == 200 { started = true; break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        guard started else { throw TestHTTPClient.Failure(description: "chromedriver did not start") }
        let capabilities: [String: Any] = ["capabilities": ["alwaysMatch": ["goog:chromeOptions": [
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1024,768"],
        ]]]]
        let created = try call("POST", "/session", capabilities)
        guard let id = (created["value"] as? [String: Any])?["sessionId"] as? String else {
            throw TestHTTPClient.Failure(description: "no WebDriver session: \(created)")
        }
        session = id
    }

    func quit() {
        if !session.isEmpty { _ = try? call("DELETE", "/session/\(session)", nil) }
        client.disconnect()
        // chromedriver may ignore SIGTERM while its browser shuts down; make sure it is gone.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    @discardableResult
    func call(_ method: String, _ path: String, _ body: [String: Any]?) throws -> [String: Any] {
        let data = try body.map { try JSONSerialization.data(withJSONObject: $0) }
        let r = try client.request(method, path, headers: data == nil ? [] : [("Content-Type", "application/json")],
                                   body: data.map { [UInt8]($0) })
        return (try? JSONSerialization.jsonObject(with: Data(r.body))) as? [String: Any] ?? [:]
    }

    func open(_ url: String) throws { try call("POST", "/session/\(session)/url", ["url": url]) }

    func element(_ css: String) throws -> String {
        for _ in 0..<50 {
            let r = try call("POST", "/session/\(session)/element", ["using": "css selector", "value": css])
            if let id = (r["value"] as? [String: Any])?[WebDriver.elementKey] as? String { return id }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw TestHTTPClient.Failure(description: "no element \(css)")
    }

    func type(_ css: String, _ text: String) throws {
        try call("POST", "/session/\(session)/element/\(try element(css))/value", ["text": text])
    }

    func click(_ css: String) throws {
        try call("POST", "/session/\(session)/element/\(try element(css))/click", [:])
    }

    func text(_ css: String) throws -> String {
        let r = try call("GET", "/session/\(session)/element/\(try element(css))/text", nil)
        return r["value"] as? String ?? ""
    }

    /// Polls for up to 10 s until the element's text contains `fragment`.
    func waitForText(_ css: String, containing fragment: String) throws -> Bool {
        for _ in 0..<100 {
            if let t = try? text(css), t.contains(fragment) { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return false
    }
}
