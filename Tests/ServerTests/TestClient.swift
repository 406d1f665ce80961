import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct TestClientError: Error, CustomStringConvertible {
    var description: String
}

/// One parsed HTTP response as a client saw it on the wire.
struct TestResponse {
    var version: String
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A blocking TCP client on plain sockets, so the tests see exactly the bytes the server sends.
final class TestConnection {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var sawEOF = false

    /// Connects to 127.0.0.1:`port`; reads give up after `timeout` seconds.
    init(port: Int, timeout: Int = 10) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestClientError(description: "socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw TestClientError(description: "connect failed: errno \(code)")
        }
        var limit = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    /// Sends all bytes; returns false if the peer stopped accepting them (reset, closed).
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL))
            }
            if sent <= 0 { return false }
            offset += sent
        }
        return true
    }

    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// Reads more bytes into the buffer; false on end of stream or error.
    private func fill() throws -> Bool {
        if sawEOF { return false }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count > 0 {
            buffer.append(contentsOf: chunk[0..<count])
            return true
        }
        if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
            throw TestClientError(description: "timed out waiting for the server")
        }
        sawEOF = true
        return false
    }

    /// Reads one response. `forHead` means the request was HEAD: no body follows the head.
    /// Returns nil if the connection ended before any byte of a response.
    func readResponse(forHead: Bool = false) throws -> TestResponse? {
        let separator: [UInt8] = [13, 10, 13, 10]
        var headEnd: Int? = nil
        while headEnd == nil {
            headEnd = findSeparator(separator)
            if headEnd == nil {
                guard try fill() else {
                    if buffer.isEmpty { return nil }
                    throw TestClientError(description: "connection ended inside a response head")
                }
            }
        }
        let headText = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
        buffer.removeFirst(headEnd! + 4)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ", maxSplits: 2)
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw TestClientError(description: "bad status line in \(headText)")
        }
        var headers: [(name: String, value: String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]),
                            line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        var response = TestResponse(version: String(statusLine[0]), status: status, headers: headers, body: [])
        if forHead || status == 204 || status == 304 || (100..<200).contains(status) { return response }
        if let lengthText = response.header("content-length"), let length = Int(lengthText) {
            while buffer.count < length {
                guard try fill() else { throw TestClientError(description: "connection ended inside a body") }
            }
            response.body = Array(buffer[0..<length])
            buffer.removeFirst(length)
        } else {
            while try fill() {}
            response.body = buffer
            buffer.removeAll()
        }
        return response
    }

    /// True if the server closed the connection with no further bytes (within the timeout).
    func isClosedByServer() -> Bool {
        do {
            while try fill() {}
            return true
        } catch {
            return false
        }
    }

    /// Bytes received but not yet consumed as a response.
    var unreadBytes: Int { buffer.count }

    private func findSeparator(_ separator: [UInt8]) -> Int? {
        guard buffer.count >= separator.count else { return nil }
        for start in 0...(buffer.count - separator.count)
        where buffer[start] == separator[0] && Array(buffer[start..<start + separator.count]) == separator {
            return start
        }
        return nil
    }
}

/// Runs `body` on its own thread (not Swift's cooperative pool, which blocking sockets would
/// starve) and lets the caller wait for its result.
final class BackgroundCall<Result: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result?

    init(_ body: @escaping @Sendable () -> Result) {
        let thread = Thread { [self] in
            self.result = body()
            self.done.signal()
        }
        thread.start()
    }

    /// The result, or nil if the call did not finish within `seconds`.
    func wait(seconds: Double = 15) -> Result? {
        guard done.wait(timeout: .now() + seconds) == .success else { return nil }
        return result
    }
}
