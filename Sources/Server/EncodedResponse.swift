import NIOCore
import NIOHTTP1

/// A complete HTTP/1.x response as the bytes that go on the wire: status line, header fields,
/// the empty line and the body, in one buffer.
///
/// Encoded on the worker thread, so the event loop only writes one buffer per response (no
/// `HTTPResponseEncoder`, no per-field work on the loop).
///
/// The server owns message framing and connection management: it always sets `Content-Length`
/// itself (none for 204 and 304, which carry no body) and `Connection` when needed, and drops
/// those from the handler's headers. Header fields that would corrupt the message (bad name
/// characters, CR/LF/NUL in a value) are dropped too, so no response can be split.
struct EncodedResponse: Sendable {
    /// The whole response; starts at its reader index.
    private(set) var bytes: ByteBuffer
    /// Offset of the `Connection` field line, or of the empty line when there is none: the
    /// server's `Connection` field is always the last one, so it can be replaced by `close`.
    private var connectionFieldOffset: Int
    /// Offset of the first body byte (just past the empty line).
    private var bodyOffset: Int
    /// False for statuses that never carry a body (204, 304): the body is not sent.
    private(set) var sendsBody: Bool
    /// How many of the handler's header fields were invalid and left out.
    private(set) var droppedFields: Int

    /// Statuses a handler may answer with; anything else becomes 500.
    static let validStatuses = 200...599

    /// Encodes a response.
    ///
    /// - Parameters:
    ///   - status: 100...599.
    ///   - omitBody: true for an answer to HEAD: `Content-Length` still says how long the body is.
    ///   - keepAlive: false adds `Connection: close`; true on HTTP/1.0 adds `Connection: keep-alive`.
    ///   - date: the `Date` value, unless the handler set its own.
    ///   - serverName: the `Server` value, unless the handler set its own; nil for none.
    init(status: Int, headers: [(name: String, value: String)], body: [UInt8], omitBody: Bool,
         version: HTTPVersion, keepAlive: Bool, date: String, serverName: String?,
         allocator: ByteBufferAllocator) {
        let sendsBody = status != 204 && status != 304
        let bodyBytes = sendsBody && !omitBody ? body.count : 0
        var headerBytes = 0
        for field in headers { headerBytes += field.name.utf8.count + field.value.utf8.count + 4 }
        // Status line, Content-Length, Date, Server, Connection and the empty line fit in 160.
        var buffer = allocator.buffer(capacity: 160 + headerBytes + (serverName?.utf8.count ?? 0) + bodyBytes)

        EncodedResponse.writeStatusLine(status, version: version, into: &buffer)
        var hasDate = false
        var hasServer = false
        var dropped = 0
        for field in headers {
            switch EncodedResponse.classify(field.name) {
            case .serverOwned:
                continue
            case .date:
                hasDate = true
            case .server:
                hasServer = true
            case .other:
                break
            }
            guard EncodedResponse.isToken(field.name), EncodedResponse.isFieldValue(field.value) else {
                dropped += 1
                continue
            }
            buffer.writeString(field.name)
            buffer.writeStaticString(": ")
            buffer.writeString(field.value)
            buffer.writeStaticString("\r\n")
        }
        if sendsBody {
            buffer.writeStaticString("Content-Length: ")
            buffer.writeDecimal(body.count)
            buffer.writeStaticString("\r\n")
        }
        if !hasDate {
            buffer.writeStaticString("Date: ")
            buffer.writeString(date)
            buffer.writeStaticString("\r\n")
        }
        if !hasServer, let serverName {
            buffer.writeStaticString("Server: ")
            buffer.writeString(serverName)
            buffer.writeStaticString("\r\n")
        }
        let connectionFieldOffset = buffer.writerIndex
        if !keepAlive {
            buffer.writeStaticString("Connection: close\r\n")
        } else if version.minor == 0 {
            buffer.writeStaticString("Connection: keep-alive\r\n")
        }
        buffer.writeStaticString("\r\n")
        let bodyOffset = buffer.writerIndex
        if bodyBytes > 0 {
            buffer.writeBytes(body)
        }
        self.bytes = buffer
        self.connectionFieldOffset = connectionFieldOffset
        self.bodyOffset = bodyOffset
        self.sendsBody = sendsBody
        self.droppedFields = dropped
    }

    /// An interim response (e.g. 100 Continue): status line and the empty line.
    static func interim(_ status: Int, version: HTTPVersion, allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 32)
        EncodedResponse.writeStatusLine(status, version: version, into: &buffer)
        buffer.writeStaticString("\r\n")
        return buffer
    }

    /// The same response saying `Connection: close` (replacing the server's `Connection` field),
    /// for a keep-alive answer whose connection must close after all (shutdown began meanwhile).
    func closingConnection(allocator: ByteBufferAllocator) -> ByteBuffer {
        let start = self.bytes.readerIndex
        let end = self.bytes.writerIndex
        var closing = allocator.buffer(capacity: end - start + 20)
        closing.writeImmutableBuffer(self.bytes.getSlice(at: start, length: self.connectionFieldOffset - start)!)
        closing.writeStaticString("Connection: close\r\n\r\n")
        closing.writeImmutableBuffer(self.bytes.getSlice(at: self.bodyOffset, length: end - self.bodyOffset)!)
        return closing
    }

    // MARK: - Status line

    private static func writeStatusLine(_ status: Int, version: HTTPVersion, into buffer: inout ByteBuffer) {
        if version.major == 1 && version.minor == 1 {
            buffer.writeStaticString("HTTP/1.1 ")
        } else if version.major == 1 && version.minor == 0 {
            buffer.writeStaticString("HTTP/1.0 ")
        } else {
            buffer.writeStaticString("HTTP/")
            buffer.writeDecimal(version.major)
            buffer.writeStaticString(".")
            buffer.writeDecimal(version.minor)
            buffer.writeStaticString(" ")
        }
        if (100...599).contains(status) {
            buffer.writeBytes(EncodedResponse.statusTails[status - 100])
        } else {
            buffer.writeDecimal(status)
            buffer.writeStaticString(" \r\n")
        }
    }

    /// "200 OK\r\n" for every status 100...599, with NIO's reason phrases ("299 \r\n" when
    /// there is none).
    private static let statusTails: [[UInt8]] = (100...599).map { code in
        Array("\(code) \(HTTPResponseStatus(statusCode: code).reasonPhrase)\r\n".utf8)
    }

    // MARK: - Header fields

    private enum FieldKind { case serverOwned, date, server, other }

    /// Sorts a header name without allocating: most names differ in length from every name
    /// the server cares about, so only same-length names are compared.
    private static func classify(_ name: String) -> FieldKind {
        switch name.utf8.count {
        case 4: return fieldName(name, is: "date") ? .date : .other
        case 6: return fieldName(name, is: "server") ? .server : .other
        case 7: return fieldName(name, is: "upgrade") ? .serverOwned : .other
        case 10:
            return fieldName(name, is: "connection") || fieldName(name, is: "keep-alive") ? .serverOwned : .other
        case 14: return fieldName(name, is: "content-length") ? .serverOwned : .other
        case 17: return fieldName(name, is: "transfer-encoding") ? .serverOwned : .other
        default: return .other
        }
    }

    /// RFC 9110 token: the characters allowed in a field name.
    static func isToken(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { bytes in
            if bytes.isEmpty { return false }
            for byte in bytes where !tokenTable[Int(byte)] { return false }
            return true
        }
    }

    /// RFC 9110 field value: visible characters, spaces, tabs and non-ASCII bytes; no controls.
    static func isFieldValue(_ value: String) -> Bool {
        var value = value
        return value.withUTF8 { bytes in
            for byte in bytes where (byte < 0x20 && byte != 0x09) || byte == 0x7F { return false }
            return true
        }
    }

    /// `tokenTable[b]` says whether byte `b` may appear in a token.
    private static let tokenTable: [Bool] = (0..<256).map { byte in
        switch UInt8(byte) {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(UInt8(byte))
        }
    }
}

extension ByteBuffer {
    /// Writes a non-negative integer in decimal ASCII (negative numbers as 0).
    mutating func writeDecimal(_ value: Int) {
        var remaining = UInt(max(0, value))
        var digits = 1
        var rest = remaining / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        self.writeWithUnsafeMutableBytes(minimumWritableBytes: digits) { raw in
            var index = digits
            repeat {
                index -= 1
                raw[index] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
            } while index > 0
            return digits
        }
    }
}
