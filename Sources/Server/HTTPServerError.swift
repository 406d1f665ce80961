import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why an ``HTTPServer`` could not start.
public struct HTTPServerError: Error, CustomStringConvertible {
    /// A sentence saying what went wrong, fit to show to whoever started the server.
    public var description: String

    static func alreadyStarted() -> HTTPServerError {
        HTTPServerError(description: "the server was already started (a server starts at most once)")
    }

    static func stoppedWhileStarting() -> HTTPServerError {
        HTTPServerError(description: "the server was shut down while it was starting")
    }

    static func cannotListen(host: String, port: Int, underlying: any Error) -> HTTPServerError {
        // NIO's IOError text names the system call; the reader wants the reason.
        let reason = (underlying as? IOError).map { String(cString: strerror($0.errnoCode)) } ?? "\(underlying)"
        return HTTPServerError(description: "cannot listen on \(host):\(port): \(reason)")
    }
}
