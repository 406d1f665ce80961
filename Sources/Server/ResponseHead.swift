import NIOCore
import NIOHTTP1
import SluiceHost

/// Turns a handler's `OutgoingResponse` into a response head the server can send safely.
///
/// The server owns message framing and connection management: it always sets `Content-Length`
/// itself (none for 204 and 304, which carry no body) and `Connection` when needed, and drops
/// those from the handler's headers. Header fields that would corrupt the message (bad name
/// characters, CR/LF/NUL in a value) are dropped too, so no response can be split.
struct ResponseHead {
    var head: HTTPResponseHead
    /// False for statuses that never carry a body (204, 304): the body is not sent.
    var sendsBody: Bool
    /// How many of the handler's header fields were invalid and left out.
    var droppedFields: Int

    /// Statuses a handler may answer with; anything else becomes 500.
    static let validStatuses = 200...599

    init(status: Int, headers: [(name: String, value: String)], bodyCount: Int, version: HTTPVersion,
         keepAlive: Bool, date: String, serverName: String?) {
        // Collected as plain pairs and wrapped once: HTTPHeaders.add re-checks every name, and
        // isToken below already guarantees what that check looks for.
        var fields: [(String, String)] = []
        fields.reserveCapacity(headers.count + 4)
        var hasDate = false
        var hasServer = false
        var dropped = 0
        for field in headers {
            switch ResponseHead.classify(field.name) {
            case .serverOwned:
                continue
            case .date:
                hasDate = true
            case .server:
                hasServer = true
            case .other:
                break
            }
            guard ResponseHead.isToken(field.name), ResponseHead.isFieldValue(field.value) else {
                dropped += 1
                continue
            }
            fields.append((field.name, field.value))
        }
        let sendsBody = status != 204 && status != 304
        if sendsBody {
            fields.append(("Content-Length", String(bodyCount)))
        }
        if !hasDate {
            fields.append(("Date", date))
        }
        if !hasServer, let serverName {
            fields.append(("Server", serverName))
        }
        if !keepAlive {
            fields.append(("Connection", "close"))
        } else if version.minor == 0 {
            fields.append(("Connection", "keep-alive"))
        }
        self.head = HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: status),
                                     headers: HTTPHeaders(fields))
        self.sendsBody = sendsBody
        self.droppedFields = dropped
    }

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
