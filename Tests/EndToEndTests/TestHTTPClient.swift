#if canImport(Glibc)
import Glibc
#endif

/// A deliberately small HTTP/1.1 client over a real TCP socket, for end-to-end tests: one
/// connection (keep-alive), a cookie jar, Content-Length bodies.
final class TestHTTPClient: @unchecked Sendable {
    struct Response {
        let status: Int
        let headers: [(name: String, value: String)]
        let body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
        func headers(_ name: String) -> [String] {
            headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let port: Int
    let host: String
    private var fd: Int32 = -1
    /// Cookies received (name → value), sent back on every request.
    var cookies: [String: String] = [:]

    init(port: Int, host: String = "localhost") {
        self.port = port
        self.host = host
    }

    deinit { disconnect() }

    func disconnect() {
        if fd >= 0 { close(fd); fd = -1 }
    }

    private func connectIfNeeded() throws {
        if fd >= 0 { return }
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed") }
        var tv = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { disconnect(); throw Failure(description: "connect to port \(port) failed") }
    }

    func get(_ path: String, headers: [(String, String)] = []) throws -> Response {
        try request("GET", path, headers: headers)
    }

    func postJSON(_ path: String, _ json: String, headers: [(String, String)] = []) throws -> Response {
        try request("POST", path, headers: [("Content-Type", "application/json")] + headers, body: Array(json.utf8))
    }

    func postForm(_ path: String, _ form: String) throws -> Response {
        try request("POST", path, headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array(form.utf8))
    }

    func request(_ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8]? = nil) throws -> Response {
        do {
            return try attempt(method, path, headers: headers, body: body)
        } catch {
            // The server may have closed an idle keep-alive connection: retry once on a new one.
            disconnect()
            return try attempt(method, path, headers: headers, body: body)
        }
    }

    private func attempt(_ method: String, _ path: String, headers: [(String, String)], body: [UInt8]?) throws -> Response {
        try connectIfNeeded()
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\n"
        for (n, v) in headers { head += "\(n): \(v)\r\n" }
        if !cookies.isEmpty, !headers.contains(where: { $0.0.lowercased() == "cookie" }) {
            head += "Cookie: " + cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") + "\r\n"
        }
        if let body { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        try sendAll(Array(head.utf8) + (body ?? []))
        let response = try readResponse(isHead: method == "HEAD")
        for c in response.headers("set-cookie") {
            let pair = c.split(separator: ";", maxSplits: 1).first ?? ""
            guard let eq = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<eq]).trimmingSpaces(), value = String(pair[pair.index(after: eq)...])
            if value.isEmpty || c.lowercased().contains("max-age=0") { cookies.removeValue(forKey: name) } else { cookies[name] = value }
        }
        if response.header("connection")?.lowercased() == "close" { disconnect() }
        return response
    }

    func sendAll(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure(description: "send failed") }
            sent += n
        }
    }

    private var buffer: [UInt8] = []

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { throw Failure(description: "connection closed while reading the response") }
        buffer += chunk[0..<n]
    }

    private func readResponse(isHead: Bool) throws -> Response {
        let marker: [UInt8] = [13, 10, 13, 10]
        var headEnd: Int? = nil
        while headEnd == nil {
            if buffer.count >= 4 {
                for i in 0...(buffer.count - 4) where buffer[i..<i + 4].elementsEqual(marker) { headEnd = i; break }
            }
            if headEnd == nil { try fill() }
        }
        let headText = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
        buffer.removeFirst(headEnd! + 4)
        var lines = headText.split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw Failure(description: "bad status line") }
        var headers: [(name: String, value: String)] = []
        for l in lines {
            guard let colon = l.firstIndex(of: ":") else { continue }
            headers.append((String(l[..<colon]), String(l[l.index(after: colon)...]).trimmingSpaces()))
        }
        let length = isHead ? 0 : Int(headers.first { $0.name.lowercased() == "content-length" }?.value ?? "0") ?? 0
        while buffer.count < length { try fill() }
        let body = Array(buffer[0..<length])
        buffer.removeFirst(length)
        return Response(status: status, headers: headers, body: body)
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
