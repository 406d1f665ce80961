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
        var fields = HTTPHeaders()
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
            fields.add(name: field.name, value: field.value)
        }
        let sendsBody = status != 204 && status != 304
        if sendsBody {
            fields.add(name: "Content-Length", value: String(bodyCount))
        }
        if !hasDate {
            fields.add(name: "Date", value: date)
        }
        if !hasServer, let serverName {
            fields.add(name: "Server", value: serverName)
        }
        if !keepAlive {
            fields.add(name: "Connection", value: "close")
        } else if version.minor == 0 {
            fields.add(name: "Connection", value: "keep-alive")
        }
        self.head = HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: status),
                                     headers: fields)
        self.sendsBody = sendsBody
        self.droppedFields = dropped
    }

    private enum FieldKind { case serverOwned, date, server, other }

    /// Sorts a header name without allocating: most names differ in length from every name
    /// the server cares about, so only same-length names are compared.
    private static func classify(_ name: String) -> FieldKind {
        switch name.utf8.count {
        case 4: return equalsLowercase(name, "date") ? .date : .other
        case 6: return equalsLowercase(name, "server") ? .server : .other
        case 7: return equalsLowercase(name, "upgrade") ? .serverOwned : .other
        case 10:
            return equalsLowercase(name, "connection") || equalsLowercase(name, "keep-alive") ? .serverOwned : .other
        case 14: return equalsLowercase(name, "content-length") ? .serverOwned : .other
        case 17: return equalsLowercase(name, "transfer-encoding") ? .serverOwned : .other
        default: return .other
        }
    }

    /// ASCII case-insensitive comparison against a lower-case literal of the same length.
    private static func equalsLowercase(_ name: String, _ lower: StaticString) -> Bool {
        lower.withUTF8Buffer { expected in
            var index = 0
            for byte in name.utf8 {
                let folded = (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
                if index >= expected.count || folded != expected[index] { return false }
                index += 1
            }
            return index == expected.count
        }
    }

    /// RFC 9110 token: the characters allowed in a field name.
    static func isToken(_ name: String) -> Bool {
        if name.isEmpty { return false }
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"):
                continue
            case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
                UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
                continue
            default:
                return false
            }
        }
        return true
    }

    /// RFC 9110 field value: visible characters, spaces, tabs and non-ASCII bytes; no controls.
    static func isFieldValue(_ value: String) -> Bool {
        for byte in value.utf8 where (byte < 0x20 && byte != 0x09) || byte == 0x7F {
            return false
        }
        return true
    }
}
